namespace EdgeLM.Templates.Values;

/// <summary>
/// MarkupSafe's Markup (what the <c>safe</c> filter returns). Output is never escaped here because
/// autoescape is off, but <c>Markup + str</c> still HTML-escapes the plain operand, and templates
/// such as functionary v3.1 depend on that.
/// </summary>
internal sealed class Markup
{
    public Markup(string text)
    {
        Text = text;
    }

    public string Text { get; }

    public override string ToString() => Text;

    /// <summary>markupsafe.escape: the five characters it replaces, with its exact entities.</summary>
    public static string Escape(string s)
    {
        if (s.AsSpan().IndexOfAny("&<>'\"") < 0)
            return s;
        var sb = new System.Text.StringBuilder(s.Length + 16);
        foreach (char c in s)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '\'' => "&#39;",
                '"' => "&#34;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }
}
