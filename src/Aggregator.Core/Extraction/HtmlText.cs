using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Aggregator.Core.Extraction;

/// <summary>HTML fragments (feed summaries, content) to plain text: block elements become line breaks, scripts vanish.</summary>
public static class HtmlText
{
    private static readonly HtmlParser Parser = new();
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table", "section", "article", "figure", "figcaption", "pre", "hr",
    };
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase) { "script", "style", "noscript", "template", "iframe", "svg" };

    public static string ToPlainText(string html)
    {
        if (html.IndexOfAny(['<', '&']) < 0) return Normalize(html);
        // The HTML parser decodes entities in text nodes; decoding again would turn "&amp;lt;" into "<".
        var document = Parser.ParseDocument("<body>" + html);
        var builder = new StringBuilder(html.Length);
        Append(document.Body!, builder);
        return Normalize(builder.ToString());
    }

    private static void Append(INode node, StringBuilder builder)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    builder.Append(text.Data);
                    break;
                case IElement element when Skipped.Contains(element.LocalName):
                    break;
                case IElement element:
                    var block = Blocks.Contains(element.LocalName);
                    if (block) builder.Append('\n');
                    Append(element, builder);
                    if (block) builder.Append('\n');
                    break;
            }
        }
    }

    /// <summary>Collapses runs of spaces within lines and keeps at most one blank line between paragraphs.</summary>
    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        var newlines = 0;
        foreach (var c in text)
        {
            if (c == '\n' || c == '\r')
            {
                newlines++;
                pendingSpace = false;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }
            if (builder.Length > 0)
            {
                if (newlines > 0) builder.Append(newlines > 1 ? "\n\n" : "\n");
                else if (pendingSpace) builder.Append(' ');
            }
            newlines = 0;
            pendingSpace = false;
            builder.Append(c);
        }
        return builder.ToString();
    }
}
