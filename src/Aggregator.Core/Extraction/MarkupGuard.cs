namespace Aggregator.Core.Extraction;

/// <summary>How much markup a parser may be handed: nesting depth and number of elements.</summary>
public sealed record MarkupLimits(int MaxDepth, int MaxElements)
{
    /// <summary>
    /// Article pages, before the extractor parses them. HTML tree construction costs more than linear time in depth
    /// (AngleSharp checks element scopes down the stack of open elements: 20,000 nested divs take 2 s, 100,000 nearly
    /// 3 minutes); real pages nest a few dozen levels and hold a few thousand elements.
    /// </summary>
    public static readonly MarkupLimits Page = new(128, 20_000);

    /// <summary>Feed titles, summaries and content, before they are parsed for their text.</summary>
    public static readonly MarkupLimits Fragment = new(128, int.MaxValue);
}

public sealed class MarkupLimitException(string message) : Exception(message);

/// <summary>
/// Runs before any HTML parser sees untrusted markup. HTML parsers build trees as deep as the markup nests, and their
/// cost (and that of what walks the tree after them) grows with depth: a page of 100,000 nested tags takes an HTML
/// parser minutes and overflows the stack of whatever recurses over the tree, which kills the process. One linear
/// pass over the tokens bounds the depth from above, so that anything passing it is safe to parse.
/// </summary>
/// <remarks>
/// The estimate follows the tree construction rules of the HTML standard only where they certainly close elements:
/// an end tag that matches the current element, or one past elements whose end tags are implied (p, li, td...); a
/// start tag that closes the p, li, dd/dt, option or cell on top. Anything else (misnested formatting elements,
/// which the standard may reopen later) keeps its elements open in the count, so the count never falls below the
/// tree's real depth by more than the few elements a parser inserts itself (html, body, tbody, tr).
/// </remarks>
public static class MarkupGuard
{
    /// <summary>How far an end tag looks below the current element for its start tag.</summary>
    private const int EndTagReach = 16;

    private static readonly HashSet<string> Void = Names(
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img", "input", "keygen", "link", "meta",
        "param", "source", "track", "wbr");

    /// <summary>Elements whose end tag the standard implies when an enclosing element closes.</summary>
    private static readonly HashSet<string> ImpliedEnd = Names(
        "dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc", "caption", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr");

    /// <summary>Start tags that close a p element in button scope.</summary>
    private static readonly HashSet<string> ClosesParagraph = Names(
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset", "figcaption", "figure",
        "footer", "form", "header", "hgroup", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dd", "dt", "listing", "main", "menu", "nav", "ol",
        "p", "pre", "search", "section", "summary", "ul", "xmp");

    private static readonly HashSet<string> Headings = Names("h1", "h2", "h3", "h4", "h5", "h6");

    /// <summary>Content the tokenizer reads as text until the element's end tag (outside svg and math).</summary>
    private static readonly HashSet<string> RawText = Names("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes");

    /// <summary>HTML start tags that break out of svg or math content back into HTML.</summary>
    private static readonly HashSet<string> BreakOut = Names(
        "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed", "font", "h1", "h2", "h3", "h4",
        "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span",
        "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var");

    /// <summary>svg and math elements whose children are HTML again.</summary>
    private static readonly HashSet<string> IntegrationPoints = Names(
        "foreignobject", "desc", "title", "annotation-xml", "mi", "mo", "mn", "ms", "mtext");

    private static readonly HashSet<string> NotNested = Names("html", "head", "body");

    private readonly record struct Open(string Name, bool Foreign);

    /// <exception cref="MarkupLimitException">The markup nests deeper or holds more elements than the limits allow.</exception>
    public static void EnsureWithin(string html, MarkupLimits limits)
    {
        if (Check(html, limits) is { } problem) throw new MarkupLimitException(problem);
    }

    /// <returns>Null when the markup is within the limits; otherwise what exceeds them.</returns>
    public static string? Check(string html, MarkupLimits limits) => Measure(html, limits).Problem;

    internal readonly record struct Measurement(int Depth, int Elements, string? Problem);

    /// <summary>The deepest count and the number of elements, up to where the first limit is exceeded.</summary>
    internal static Measurement Measure(string html, MarkupLimits limits)
    {
        var tokens = new MarkupTokenizer(html);
        var open = new List<Open>();
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var lookup = names.GetAlternateLookup<ReadOnlySpan<char>>();
        int elements = 0, deepest = 0;
        while (tokens.Next(out var token))
        {
            if (token.Kind == MarkupTokenKind.Text) continue;
            var span = tokens.NameOf(token);
            // One string per distinct name, lower case: names repeat, and the sets compare them.
            if (!lookup.TryGetValue(span, out var name))
            {
                name = span.ToString().ToLowerInvariant();
                lookup[span] = name;
            }
            if (token.Kind == MarkupTokenKind.EndTag)
            {
                Close(open, name);
                continue;
            }
            if (++elements > limits.MaxElements) return new(deepest, elements, $"The markup holds more than {limits.MaxElements:N0} elements.");
            var inForeign = open.Count > 0 && open[^1].Foreign && !IntegrationPoints.Contains(open[^1].Name);
            var foreign = name is "svg" or "math" || (inForeign && !BreakOut.Contains(name));
            if (NotNested.Contains(name) || (foreign ? token.SelfClosing : Void.Contains(name))) continue;
            if (!foreign) CloseImplied(open, name);
            open.Add(new Open(name, foreign));
            deepest = Math.Max(deepest, open.Count);
            if (open.Count > limits.MaxDepth) return new(deepest, elements, $"The markup nests elements more than {limits.MaxDepth} deep.");
            if (!foreign && RawText.Contains(name)) tokens.SkipRawText(name);
        }
        return new(deepest, elements, null);
    }

    private static void CloseImplied(List<Open> open, string name)
    {
        if (ClosesParagraph.Contains(name) && Top(open) == "p") open.RemoveAt(open.Count - 1);
        var top = Top(open);
        var closesTop = name switch
        {
            "li" => top == "li",
            "dd" or "dt" => top is "dd" or "dt",
            "option" or "optgroup" => top == "option",
            "td" or "th" or "tr" => top is "td" or "th",
            "a" or "nobr" => top == name,
            _ => Headings.Contains(name) && top is not null && Headings.Contains(top),
        };
        if (closesTop) open.RemoveAt(open.Count - 1);
        if ((name == "tr" && Top(open) == "tr") || (name == "optgroup" && Top(open) == "optgroup")) open.RemoveAt(open.Count - 1);
    }

    private static void Close(List<Open> open, string name)
    {
        if (NotNested.Contains(name) || open.Count == 0) return;
        if (open[^1].Name == name)
        {
            open.RemoveAt(open.Count - 1);
            return;
        }
        // Below the current element: past elements whose end tags are implied, or within svg and math, where any end
        // tag closes the foreign elements above its own.
        var foreign = open[^1].Foreign;
        for (var i = open.Count - 2; i >= Math.Max(0, open.Count - 1 - EndTagReach); i--)
        {
            var above = open[i + 1];
            if (foreign ? !above.Foreign : !ImpliedEnd.Contains(above.Name)) return;
            if (open[i].Name == name)
            {
                if (!foreign && Formatting(name)) return; // the adoption agency's case: it may reopen what it closes
                open.RemoveRange(i, open.Count - i);
                return;
            }
        }
    }

    private static bool Formatting(string name) =>
        name is "a" or "b" or "big" or "code" or "em" or "font" or "i" or "nobr" or "s" or "small" or "strike" or "strong" or "tt" or "u";

    private static string? Top(List<Open> open) => open.Count > 0 ? open[^1].Name : null;

    private static HashSet<string> Names(params string[] names) => new(names, StringComparer.Ordinal);
}
