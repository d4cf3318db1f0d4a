using System.Globalization;
using System.Net;
using System.Text;

namespace EdgeLM.Benchmarks.Reports;

/// <summary>
/// A horizontal bar chart as inline SVG: one bar per row at its mean, with a whisker for the 95% confidence
/// interval. Hand-written SVG keeps the HTML report free of scripts and fonts, so it opens offline.
/// </summary>
public static class SvgBarChart
{
    private const int LabelWidth = 260, PlotWidth = 420, BarHeight = 22, Gap = 6, Top = 30;

    public static string Render(string title, string unit, IReadOnlyList<(string Label, double Mean, double Ci95)> bars)
    {
        double max = bars.Count == 0 ? 1 : bars.Max(b => b.Mean + b.Ci95);
        if (!(max > 0))
            max = 1;
        int height = Top + bars.Count * (BarHeight + Gap) + 10;
        int width = LabelWidth + PlotWidth + 90;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-bars=\"{bars.Count}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title>{Escape(title)}</title>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{Escape(title)} ({Escape(unit)})</text>");
        for (int i = 0; i < bars.Count; i++)
        {
            var (label, mean, ci) = bars[i];
            double y = Top + i * (BarHeight + Gap);
            double w = Math.Max(0, mean) / max * PlotWidth;
            double lo = Math.Max(0, mean - ci) / max * PlotWidth, hi = (mean + ci) / max * PlotWidth;
            double mid = y + BarHeight / 2.0;
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 6}\" y=\"{mid + 4:F1}\" font-size=\"12\" text-anchor=\"end\">{Escape(label)}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{LabelWidth}\" y=\"{y:F1}\" width=\"{w:F1}\" height=\"{BarHeight}\" fill=\"#4a7fc1\"><title>{Escape(label)}: {mean:G4} ± {ci:G3}</title></rect>");
            if (ci > 0)
                sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{LabelWidth + lo:F1}\" x2=\"{LabelWidth + hi:F1}\" y1=\"{mid:F1}\" y2=\"{mid:F1}\" stroke=\"#222\" stroke-width=\"1.5\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + Math.Max(w, hi) + 6:F1}\" y=\"{mid + 4:F1}\" font-size=\"11\">{mean:G4}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string Escape(string s) => WebUtility.HtmlEncode(s);
}
