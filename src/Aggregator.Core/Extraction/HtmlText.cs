using System.Net;
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
        // Markup nested too deep for a parser to build in reasonable time still has its text, read from the tokens.
        if (MarkupGuard.Check(html, MarkupLimits.Fragment) is not null) return Normalize(TextOfTokens(html));
        // The HTML parser decodes entities in text nodes; decoding again would turn "&amp;lt;" into "<".
        var document = Parser.ParseDocument("<body>" + html);
        var builder = new StringBuilder(html.Length);
        AppendText(document.Body!, builder);
        return Normalize(builder.ToString());
    }

    /// <summary>
    /// The text under a node, depth first with a stack of its own: a tree nests as deep as its markup says, and a
    /// recursive walk would let the markup decide how deep the call stack goes.
    /// </summary>
    internal static void AppendText(INode root, StringBuilder builder)
    {
        var pending = new Stack<(INode Node, bool Closing)>();
        PushChildren(root, pending);
        while (pending.TryPop(out var entry))
        {
            switch (entry.Node)
            {
                case IText text:
                    builder.Append(text.Data);
                    break;
                case IElement when entry.Closing:
                    builder.Append('\n');
                    break;
                case IElement element when Skipped.Contains(element.LocalName):
                    break;
                case IElement element:
                    if (Blocks.Contains(element.LocalName))
                    {
                        builder.Append('\n');
                        pending.Push((element, true));
                    }
                    PushChildren(element, pending);
                    break;
            }
        }
    }

    private static void PushChildren(INode node, Stack<(INode, bool)> pending)
    {
        var children = node.ChildNodes;
        for (var i = children.Length - 1; i >= 0; i--) pending.Push((children[i], false));
    }

    /// <summary>Text without a tree: the text between tags, a line break at each block tag, raw text of skipped elements left out.</summary>
    private static string TextOfTokens(string html)
    {
        var builder = new StringBuilder(html.Length);
        var tokens = new MarkupTokenizer(html);
        while (tokens.Next(out var token))
        {
            if (token.Kind == MarkupTokenKind.Text)
            {
                builder.Append(WebUtility.HtmlDecode(html.Substring(token.Start, token.Length)));
                continue;
            }
            var name = tokens.NameOf(token).ToString();
            if (Blocks.Contains(name)) builder.Append('\n');
            if (token.Kind == MarkupTokenKind.StartTag && Skipped.Contains(name)) tokens.SkipRawText(name);
        }
        return builder.ToString();
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
