using EdgeLM.TestSupport;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace EdgeLM.Cli.Tests;

/// <summary>
/// The HTML reports of `edgelm bench` and `edgelm duel`, written by the real program and opened from a file://
/// URL in headless Chromium (Debian's chromium + chromium-driver, installed by .ci/run): the page loads, the
/// console stays clean and every chart draws at least one bar. A full-page screenshot is kept for a human.
/// </summary>
public sealed class HtmlReportBrowserTests : IDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium", ChromeDriverPath = "/usr/bin/chromedriver";

    private readonly string _dir = Directory.CreateTempSubdirectory("edgelm-browser-").FullName;
    private readonly ITestOutputHelper _output;

    public HtmlReportBrowserTests(ITestOutputHelper output) => _output = output;

    /// <summary>Removes the reports and the browser profile; the screenshots stay for a human to look at.</summary>
    public void Dispose()
    {
        foreach (string entry in Directory.EnumerateFileSystemEntries(_dir))
        {
            if (entry.EndsWith(".png", StringComparison.Ordinal))
                continue;
            if (Directory.Exists(entry))
                Directory.Delete(entry, recursive: true);
            else
                File.Delete(entry);
        }
    }

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Bench_report_renders_in_chromium_with_charts_and_no_console_errors()
    {
        SkipWithoutChromium();
        string html = PathOf("bench.html");
        var r = EdgeLmProcess.Run(["bench", "-p", "16", "-n", "4", "-r", "2", "--html", html]);
        Assert.True(r.ExitCode == 0, r.StdErr);

        using var driver = StartChromium();
        AssertConsoleErrorsAreSeen(driver);
        CheckReport(driver, html, PathOf("bench.png"), "EdgeLM bench", expectedTables: ["results"], minCharts: 2);
    }

    [Fact]
    public void Duel_report_renders_in_chromium_with_ranking_charts_and_no_console_errors()
    {
        SkipWithoutChromium();
        string html = PathOf("duel.html");
        var r = EdgeLmProcess.Run(["duel", "--tasks", "sentiment,arithmetic", "--html", html]);
        Assert.True(r.ExitCode == 0, r.StdErr);

        using var driver = StartChromium();
        AssertConsoleErrorsAreSeen(driver);
        CheckReport(driver, html, PathOf("duel.png"), "EdgeLM duel", expectedTables: ["ranking", "results"], minCharts: 1);
    }

    [Fact]
    public void Chart_check_rejects_a_report_whose_bars_have_no_width()
    {
        SkipWithoutChromium();
        string html = PathOf("bench.html");
        var r = EdgeLmProcess.Run(["bench", "-p", "8", "-n", "0", "-r", "2", "--html", html]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        string text = File.ReadAllText(html);
        string flattened = System.Text.RegularExpressions.Regex.Replace(text, "(<rect class=\"bar\"[^>]*?) width=\"[^\"]*\"", "$1 width=\"0\"");
        Assert.NotEqual(text, flattened);
        string broken = PathOf("flattened.html");
        File.WriteAllText(broken, flattened);

        using var driver = StartChromium();
        var e = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() =>
            CheckReport(driver, broken, PathOf("flattened.png"), "EdgeLM bench", ["results"], minCharts: 1));
        Assert.Contains("draws no shape with a non-zero size", e.Message);
    }

    private static void SkipWithoutChromium()
    {
        if (!File.Exists(ChromiumPath) || !File.Exists(ChromeDriverPath))
            Assert.Skip($"headless browser test needs Debian's chromium and chromium-driver ({ChromiumPath}, {ChromeDriverPath}); .ci/run installs them: apt-get install -y chromium chromium-driver");
    }

    private ChromeDriver StartChromium()
    {
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--window-size=1200,900", $"--user-data-dir={Directory.CreateDirectory(PathOf("profile")).FullName}");
        // Console errors are read from ChromeDriver's "browser" log (goog:loggingPrefs). The report has no
        // scripts, so a window.onerror collector would have to be injected over CDP before navigation and would
        // still miss what is not a script error (a failed resource load, a CSP violation); the browser log holds
        // console.error, uncaught exceptions and network failures alike, and needs only this preference.
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        // The explicit driver path keeps Selenium Manager from looking for (or downloading) a driver.
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        return new ChromeDriver(service, options, TimeSpan.FromMinutes(2));
    }

    /// <summary>
    /// Guards the console check against passing vacuously: a page that logs an error and throws must show up in
    /// the same browser log the report is checked with.
    /// </summary>
    private void AssertConsoleErrorsAreSeen(ChromeDriver driver)
    {
        string probe = PathOf("probe.html");
        File.WriteAllText(probe, "<!DOCTYPE html><html><head><title>probe</title></head><body><script>console.error('edgelm-probe-error'); throw new Error('edgelm-probe-throw');</script></body></html>");
        driver.Navigate().GoToUrl(new Uri(probe).AbsoluteUri);
        Assert.Equal("probe", driver.Title);
        var errors = Errors(driver);
        Assert.Contains(errors, e => e.Message.Contains("edgelm-probe-error", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("edgelm-probe-throw", StringComparison.Ordinal));
    }

    private static List<LogEntry> Errors(IWebDriver driver) =>
        driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level >= LogLevel.Warning).ToList();

    private void CheckReport(ChromeDriver driver, string html, string screenshot, string title, string[] expectedTables, int minCharts)
    {
        string url = new Uri(html).AbsoluteUri;
        driver.Navigate().GoToUrl(url);
        Assert.Equal(url, driver.Url);
        Assert.Equal("complete", driver.ExecuteScript("return document.readyState"));
        Assert.Equal(title, driver.Title);
        Assert.Equal(title, driver.FindElement(By.TagName("h1")).Text);

        foreach (string id in expectedTables)
        {
            var rows = driver.FindElements(By.CssSelector($"table#{id} tr"));
            Assert.True(rows.Count >= 2, $"table#{id} has {rows.Count} rows; a header and at least one data row expected");
            Assert.True(rows[1].FindElements(By.TagName("td")).Count > 0, $"table#{id} has no data cells");
        }

        // Every chart the report marks (svg.chart) must be laid out and draw at least one shape with a
        // non-zero rendered size; its data-bars count must match the bars present.
        var charts = (IReadOnlyCollection<object>)driver.ExecuteScript("""
            return Array.from(document.querySelectorAll('svg.chart')).map(svg => {
              const box = svg.getBoundingClientRect();
              const shapes = Array.from(svg.querySelectorAll('rect, path, circle, ellipse, polygon, polyline'));
              const drawn = shapes.filter(s => { const b = s.getBoundingClientRect(); return b.width > 0 && b.height > 0; }).length;
              return { title: svg.querySelector('title')?.textContent ?? '', width: box.width, height: box.height,
                       declared: Number(svg.dataset.bars), bars: svg.querySelectorAll('rect.bar').length, drawn };
            });
            """)!;
        Assert.True(charts.Count >= minCharts, $"{charts.Count} charts, at least {minCharts} expected");
        foreach (var c in charts.Cast<IDictionary<string, object>>())
        {
            string name = (string)c["title"];
            _output.WriteLine($"chart '{name}': {c["bars"]} bars, {c["drawn"]} drawn, {c["width"]}x{c["height"]}");
            Assert.True(Convert.ToDouble(c["width"]) > 0 && Convert.ToDouble(c["height"]) > 0, $"chart '{name}' is not laid out");
            Assert.Equal(Convert.ToInt64(c["declared"]), Convert.ToInt64(c["bars"]));
            Assert.True(Convert.ToInt64(c["drawn"]) > 0, $"chart '{name}' draws no shape with a non-zero size");
        }

        var errors = Errors(driver);
        Assert.True(errors.Count == 0, "browser console: " + string.Join(" | ", errors.Select(e => $"{e.Level} {e.Message}")));

        // A full-page capture over CDP: resizing the window is capped by headless Chromium's screen size, so a
        // plain GetScreenshot() would cut long reports off at the first screen.
        var shot = (Dictionary<string, object>?)driver.ExecuteCdpCommand("Page.captureScreenshot",
            new Dictionary<string, object?> { ["format"] = "png", ["captureBeyondViewport"] = true });
        File.WriteAllBytes(screenshot, Convert.FromBase64String((string)shot!["data"]));
        Assert.True(new FileInfo(screenshot).Length > 1000, "screenshot is empty");
        _output.WriteLine($"screenshot: {screenshot}");
        TestContext.Current.SendDiagnosticMessage($"screenshot: {screenshot}");
    }
}
