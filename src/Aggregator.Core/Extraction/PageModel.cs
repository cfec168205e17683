using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>
/// A parsed page flattened in one iterative walk: the body's elements in document order (each subtree a contiguous
/// range), its text as a token stream with block boundaries, and what the head and scripts say (meta tags, JSON-LD).
/// Every later stage works on these arrays, so nothing recurses however deep the page nests.
/// </summary>
internal sealed class PageModel
{
    public readonly List<PageElement> Elements = [];
    public readonly List<TextToken> Tokens = [];
    public readonly Dictionary<string, string> Meta = new(StringComparer.OrdinalIgnoreCase);
    public readonly List<string> JsonLd = [];
    public string? DocumentTitle;
    /// <summary>The first &lt;time datetime&gt; in the body.</summary>
    public string? FirstTime;

    private static readonly HashSet<string> SkippedTags = new(StringComparer.Ordinal)
    {
        "script", "style", "noscript", "template", "svg", "math", "iframe", "canvas", "video", "audio", "object", "embed",
        "select", "button", "input", "textarea", "option", "map", "head", "dialog",
    };

    private static readonly HashSet<string> BlockTags = new(StringComparer.Ordinal)
    {
        "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table",
        "thead", "tbody", "tfoot", "caption", "section", "article", "main", "aside", "nav", "header", "footer", "figure",
        "figcaption", "pre", "hr", "address", "form", "fieldset", "details", "summary", "center", "body", "hgroup", "picture",
    };

    /// <summary>Every text node of the body, boilerplate included.</summary>
    public IEnumerable<string> Texts() => Tokens.Where(t => t.Kind == TokenKind.Text).Select(t => t.Text!);

    public static PageModel Build(IDocument document)
    {
        var model = new PageModel();
        if (document.Head is { } head) model.ReadHead(head);
        if (document.Body is { } body) model.Walk(body);
        return model;
    }

    private void ReadHead(IElement head)
    {
        foreach (var element in head.Children)
        {
            switch (element.LocalName)
            {
                case "title" when DocumentTitle is null:
                    DocumentTitle = element.TextContent;
                    break;
                case "meta" when element.GetAttribute("content") is { Length: > 0 } content:
                    var key = element.GetAttribute("property") ?? element.GetAttribute("name") ?? element.GetAttribute("itemprop");
                    if (key is { Length: > 0 }) Meta.TryAdd(key.Trim(), content);
                    break;
                case "script":
                    ReadScript(element);
                    break;
            }
        }
    }

    private void ReadScript(IElement script)
    {
        if (script.GetAttribute("type") is { } type && type.Contains("ld+json", StringComparison.OrdinalIgnoreCase) && script.FirstChild is IText text)
            JsonLd.Add(text.Data);
    }

    /// <summary>Pre-order walk over sibling and parent links (no stack of iterators), recording each element and text node.</summary>
    private void Walk(IElement root)
    {
        var open = new List<(INode Node, int Index)>();
        INode current = root;
        while (true)
        {
            if (Enter(current, open) && current.FirstChild is { } child)
            {
                current = child;
                continue;
            }
            while (true)
            {
                if (open.Count > 0 && ReferenceEquals(open[^1].Node, current)) Exit(open);
                if (ReferenceEquals(current, root)) return;
                if (current.NextSibling is { } sibling)
                {
                    current = sibling;
                    break;
                }
                current = current.Parent!;
            }
        }
    }

    /// <summary>Records a node; true when its children are to be walked.</summary>
    private bool Enter(INode node, List<(INode Node, int Index)> open)
    {
        var parent = open.Count > 0 ? open[^1].Index : -1;
        if (node is IText text)
        {
            if (parent >= 0) Tokens.Add(new TextToken(TokenKind.Text, parent, text.Data));
            return false;
        }
        if (node is not IElement element) return false;
        var tag = element.LocalName;
        if (tag == "script")
        {
            ReadScript(element);
            MarkHostsCode(parent);
            return false;
        }
        if (tag is "iframe" or "embed" or "object") MarkHostsCode(parent);
        if (SkippedTags.Contains(tag) || IsHidden(element)) return false;
        if (tag == "time" && FirstTime is null) FirstTime = element.GetAttribute("datetime");
        if (tag == "meta" && element.GetAttribute("itemprop") is { Length: > 0 } itemprop && element.GetAttribute("content") is { Length: > 0 } content)
            Meta.TryAdd(itemprop, content);

        var index = Elements.Count;
        var inherited = parent >= 0 ? Elements[parent].Flags & ElementFlags.Inherited : ElementFlags.None;
        var flags = inherited | BoilerplateHints.Of(element, tag);
        if (tag == "a" && element.HasAttribute("href")) flags |= ElementFlags.InLink;
        if (BlockTags.Contains(tag)) flags |= ElementFlags.Block;
        var blockOwner = (flags & ElementFlags.Block) != 0 ? index : parent >= 0 ? Elements[parent].BlockOwner : -1;
        Elements.Add(new PageElement(tag, parent, blockOwner, Tokens.Count, flags));
        AddBoundary(tag, flags, index);
        open.Add((node, index));
        return true;
    }

    private void MarkHostsCode(int parent)
    {
        if (parent >= 0) Elements[parent] = Elements[parent] with { Flags = Elements[parent].Flags | ElementFlags.HostsCode };
    }

    private void Exit(List<(INode Node, int Index)> open)
    {
        var index = open[^1].Index;
        open.RemoveAt(open.Count - 1);
        var element = Elements[index];
        AddBoundary(element.Tag, element.Flags, index);
        Elements[index] = element with { End = Elements.Count, TokenEnd = Tokens.Count };
    }

    /// <summary>Blocks break paragraphs; table cells only need a space between them.</summary>
    private void AddBoundary(string tag, ElementFlags flags, int index)
    {
        if ((flags & ElementFlags.Block) != 0) Tokens.Add(new TextToken(TokenKind.Break, index, null));
        else if (tag is "td" or "th") Tokens.Add(new TextToken(TokenKind.Space, index, null));
    }

    private static bool IsHidden(IElement element)
    {
        if (element.HasAttribute("hidden")) return true;
        if (element.GetAttribute("aria-hidden") is { } ariaHidden && ariaHidden.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
        if (element.GetAttribute("style") is not { } style) return false;
        var compact = style.Replace(" ", "", StringComparison.Ordinal);
        return compact.Contains("display:none", StringComparison.OrdinalIgnoreCase) || compact.Contains("visibility:hidden", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>One body element. Its subtree is Elements[index..End) and Tokens[TokenStart..TokenEnd); BlockOwner is the
/// nearest block element at or above it (the paragraph its text belongs to).</summary>
internal readonly record struct PageElement(string Tag, int Parent, int BlockOwner, int TokenStart, ElementFlags Flags)
{
    public int End { get; init; }
    public int TokenEnd { get; init; }
}

internal enum TokenKind : byte { Text, Break, Space }

internal readonly record struct TextToken(TokenKind Kind, int Element, string? Text);

[Flags]
internal enum ElementFlags
{
    None = 0,
    Block = 1,
    /// <summary>Inside a link: its text is link text.</summary>
    InLink = 2,
    /// <summary>Navigation, footer, aside, banner and the like, by tag or landmark role: never article text.</summary>
    Landmark = 4,
    /// <summary>Class or id names what article pages put around the article: share, related, comments, newsletter...</summary>
    BoilerplateName = 8,
    /// <summary>Class, id, tag or markup says "article body".</summary>
    ContentHint = 16,
    /// <summary>Marked up as the article body (itemprop="articleBody").</summary>
    ArticleBodyMarkup = 32,
    /// <summary>Captions and figures: about the article, not of it.</summary>
    Caption = 64,
    Heading = 128,
    ListItem = 256,
    /// <summary>An embedded post or quote (class/id names say "embed", "tweet", "quote").</summary>
    Embed = 512,
    /// <summary>Has a script, frame or plug-in of its own: an ad or widget slot when it has next to no text.</summary>
    HostsCode = 1024,
    Inherited = InLink | Caption | Heading,
}
