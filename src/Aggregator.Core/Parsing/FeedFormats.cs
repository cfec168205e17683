using System.Xml.Linq;

namespace Aggregator.Core.Parsing;

/// <summary>Text as a feed states it: markup (HTML, XHTML serialised) or plain text that may contain '&lt;'.</summary>
internal readonly record struct FeedString(string Value, bool IsHtml)
{
    public static FeedString? Html(string? value) => string.IsNullOrWhiteSpace(value) ? null : new FeedString(value, true);
    public static FeedString? Plain(string? value) => string.IsNullOrWhiteSpace(value) ? null : new FeedString(value, false);

    /// <summary>
    /// Formats that do not say whether a text is markup (RSS titles, iTunes summaries): markup when it has a closing
    /// tag or an entity left after XML decoding, as feedparser guesses; "vector&lt;int&gt;" stays text.
    /// </summary>
    public static FeedString? Guess(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : new FeedString(value, LooksLikeHtml(value));

    private static bool LooksLikeHtml(string value)
    {
        for (var i = value.IndexOf("</", StringComparison.Ordinal); i >= 0; i = value.IndexOf("</", i + 2, StringComparison.Ordinal))
        {
            var end = i + 2;
            while (end < value.Length && char.IsAsciiLetterOrDigit(value[end])) end++;
            if (end > i + 2 && end < value.Length && value[end] == '>') return true;
        }
        for (var i = value.IndexOf('&'); i >= 0; i = value.IndexOf('&', i + 1))
        {
            var end = i + 1;
            if (end < value.Length && value[end] == '#') end++;
            var start = end;
            while (end < value.Length && char.IsAsciiLetterOrDigit(value[end])) end++;
            if (end > start && end < value.Length && value[end] == ';') return true;
        }
        return false;
    }
}

/// <summary>One entry as a format adapter read it, before links are resolved, dates parsed and text cleaned.</summary>
internal sealed record RawEntry
{
    public string? Id { get; init; }
    public FeedString? Title { get; init; }
    public string? Link { get; init; }
    /// <summary>What relative links of this entry resolve against (xml:base), when the document says.</summary>
    public Uri? Base { get; init; }
    public FeedString? Summary { get; init; }
    public FeedString? Content { get; init; }
    /// <summary>Date texts in order of preference (published before updated); the first that parses wins.</summary>
    public IReadOnlyList<string?> Dates { get; init; } = [];
    public string? Author { get; init; }
    /// <summary>The language declared for the entry, its own or else its feed's, as written (e.g. "en-us").</summary>
    public string? Language { get; init; }
}

/// <summary>A whole document as an adapter read it.</summary>
internal sealed record RawFeed(string Format, FeedString? Title, string? Link, IReadOnlyList<RawEntry> Entries);

/// <summary>
/// RSS (0.9x, 2.0, with or without &lt;channel&gt;, in any namespace), RDF/RSS 1.0 (with or without the RSS 1.0
/// namespace) and Atom (0.3 and 1.0) read into entries by element name, as lenient readers do: core elements in
/// whatever namespace the document put them, extensions (Dublin Core, content, iTunes, Media RSS, Atom inside RSS)
/// by their own namespaces.
/// </summary>
internal static class XmlFeedFormats
{
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    private static readonly XNamespace DcTerms = "http://purl.org/dc/terms/";
    private static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    private static readonly XNamespace Itunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";
    private static readonly XNamespace GooglePlay = "http://www.google.com/schemas/play-podcasts/1.0";
    private static readonly XNamespace Media = "http://search.yahoo.com/mrss/";
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Atom03 = "http://purl.org/atom/ns#";
    private static readonly XNamespace Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";
    private static readonly XNamespace FeedBurner = "http://rssnamespace.org/feedburner/ext/1.0";
    private static readonly XName XmlBase = XNamespace.Xml + "base";
    private static readonly XName XmlLang = XNamespace.Xml + "lang";

    /// <summary>Namespaces of extensions: an element in any other namespace (or none) is taken as the format's own.</summary>
    private static readonly HashSet<XNamespace> Extensions = [Dc, DcTerms, Content, Itunes, GooglePlay, Media, Atom, Atom03, Rdf, Xhtml, FeedBurner];

    /// <exception cref="FeedParseException">The root is no feed's.</exception>
    public static RawFeed Read(XmlTree tree, Uri? documentUrl)
    {
        var root = tree.Root;
        var complete = (XElement e) => !tree.Unclosed.Contains(e);
        switch (root.Name.LocalName.ToLowerInvariant())
        {
            case "rss":
            case "channel":
            {
                var channel = root.Name.LocalName == "channel" ? root : Core(root, "channel");
                // Items belong in the channel, but RSS 0.9-style documents (and broken ones) put them beside it.
                var items = Cores(channel ?? root, "item").Concat(channel is null ? [] : Cores(root, "item")).Where(complete);
                var version = (string?)root.Attribute("version");
                var format = version is "0.91" or "0.92" ? "rss-" + version : "rss-2.0";
                var language = Text(Core(channel, "language")) ?? Text(channel?.Element(Dc + "language"));
                return new RawFeed(format, FeedString.Guess(Text(Core(channel, "title"))), Text(Core(channel, "link")),
                    items.Select(item => RssEntry(item, rdf: false, language)).ToList());
            }
            case "rdf":
            {
                var channel = Core(root, "channel");
                var items = Cores(root, "item").Concat(channel is null ? [] : Cores(channel, "item")).Where(complete);
                return new RawFeed("rss-1.0", FeedString.Guess(Text(Core(channel, "title"))), Text(Core(channel, "link")),
                    items.Select(item => RssEntry(item, rdf: true, Text(channel?.Element(Dc + "language")))).ToList());
            }
            case "feed":
            {
                var feedBase = BaseOf(root, documentUrl);
                return new RawFeed("atom", AtomText(AtomChild(root, "title")), AtomLink(root, feedBase),
                    AtomChildren(root, "entry").Where(complete).Select(entry => AtomEntry(entry, feedBase)).ToList());
            }
            default:
                throw new FeedParseException($"The document is XML but not a feed: its root is <{root.Name.LocalName}>, not rss, RDF or feed.");
        }
    }

    /// <param name="channelLanguage">The channel's &lt;language&gt; or dc:language, for items that declare none.</param>
    private static RawEntry RssEntry(XElement item, bool rdf, string? channelLanguage)
    {
        var guid = Core(item, "guid");
        var guidText = Text(guid);
        var about = (string?)item.Attribute(Rdf + "about");
        // A GUID is the item's permalink unless it says otherwise (RSS 2.0): when there is no <link>, it is the link.
        var permalink = guid is not null && !string.Equals((string?)guid.Attribute("isPermaLink"), "false", StringComparison.OrdinalIgnoreCase)
            && Uri.TryCreate(guidText?.Trim(), UriKind.Absolute, out var guidUri) && guidUri.Scheme is "http" or "https" ? guidText : null;
        var mediaGroup = item.Element(Media + "group");
        return new RawEntry
        {
            Id = guidText ?? about ?? Text(item.Element(Dc + "identifier")),
            Title = FeedString.Guess(Text(Core(item, "title")))
                ?? FeedString.Plain(Text(item.Element(Itunes + "title")))
                ?? FeedString.Guess(Text(item.Element(Dc + "title")))
                ?? FeedString.Plain(Text(item.Element(Media + "title") ?? mediaGroup?.Element(Media + "title"))),
            Link = Text(item.Element(FeedBurner + "origLink")) ?? Text(Core(item, "link")) ?? AtomLink(item, null) ?? permalink ?? (rdf ? about : null),
            Summary = FeedString.Html(Text(Core(item, "description")))
                ?? FeedString.Guess(Text(item.Element(Itunes + "summary")))
                ?? FeedString.Guess(Text(item.Element(GooglePlay + "description")))
                ?? FeedString.Guess(Text(item.Element(Dc + "description")))
                ?? FeedString.Guess(Text(item.Element(Media + "description") ?? mediaGroup?.Element(Media + "description")))
                ?? FeedString.Plain(Text(item.Element(Itunes + "subtitle"))),
            Content = FeedString.Html(Text(item.Element(Content + "encoded"))) ?? FeedString.Html(InnerXml(item.Element(Xhtml + "body"))),
            Dates =
            [
                Text(Core(item, "pubDate")), Text(item.Element(Dc + "date")), Text(item.Element(DcTerms + "issued")),
                Text(item.Element(DcTerms + "created")), Text(item.Element(Atom + "published")), Text(item.Element(DcTerms + "modified")),
                Text(item.Element(Atom + "updated")),
            ],
            Author = Text(item.Element(Dc + "creator")) ?? Text(Core(item, "author")) ?? Text(item.Element(Itunes + "author")),
            Language = Text(item.Element(Dc + "language")) ?? LangOf(item) ?? channelLanguage,
        };
    }

    private static RawEntry AtomEntry(XElement entry, Uri? feedBase)
    {
        var entryBase = BaseOf(entry, feedBase);
        var author = AtomChild(entry, "author");
        var content = AtomChild(entry, "content");
        return new RawEntry
        {
            Id = Text(AtomChild(entry, "id")),
            Title = AtomText(AtomChild(entry, "title")),
            Link = AtomLink(entry, entryBase),
            Base = entryBase,
            Summary = AtomText(AtomChild(entry, "summary")),
            // Out-of-line content (src=) is a link to elsewhere, not text.
            Content = content?.Attribute("src") is null ? AtomText(content) : null,
            Dates =
            [
                Text(AtomChild(entry, "published")), Text(AtomChild(entry, "issued")), Text(AtomChild(entry, "created")),
                Text(entry.Element(Dc + "date")), Text(AtomChild(entry, "updated")), Text(AtomChild(entry, "modified")),
            ],
            Author = Text(AtomChild(author, "name")) ?? Text(entry.Element(Dc + "creator")),
            Language = LangOf(entry) ?? Text(entry.Element(Dc + "language")),
        };
    }

    /// <summary>An Atom text construct: only html and xhtml are markup; text (the default) is text.</summary>
    private static FeedString? AtomText(XElement? element)
    {
        if (element is null) return null;
        var type = ((string?)element.Attribute("type"))?.Trim().ToLowerInvariant();
        var mode = ((string?)element.Attribute("mode"))?.Trim().ToLowerInvariant(); // Atom 0.3
        if (mode == "base64") return null;
        return type switch
        {
            "xhtml" or "application/xhtml+xml" => FeedString.Html(InnerXml(element.Elements().FirstOrDefault(e => e.Name.LocalName == "div") ?? element)),
            "html" or "text/html" => FeedString.Html(element.Value),
            null or "" or "text" or "text/plain" => mode == "xml" ? FeedString.Html(InnerXml(element)) : mode == "escaped" ? FeedString.Html(element.Value) : FeedString.Plain(element.Value),
            _ when type.EndsWith("xml", StringComparison.Ordinal) => FeedString.Html(InnerXml(element)),
            _ when type.StartsWith("text/", StringComparison.Ordinal) => FeedString.Plain(element.Value),
            _ => null, // a base64 image or such
        };
    }

    /// <summary>The href of the alternate link (rel="alternate" or none), HTML preferred, as the document wrote it or resolved against xml:base.</summary>
    private static string? AtomLink(XElement parent, Uri? baseUri)
    {
        var links = parent.Elements().Where(e => e.Name.LocalName == "link" && (e.Name.Namespace == Atom || e.Name.Namespace == Atom03 || e.Name.Namespace == XNamespace.None)
                                                 && e.Attribute("href") is not null
                                                 && ((string?)e.Attribute("rel") ?? "alternate").Trim().Equals("alternate", StringComparison.OrdinalIgnoreCase))
            .ToList();
        var link = links.FirstOrDefault(l => ((string?)l.Attribute("type") ?? "text/html").Contains("html", StringComparison.OrdinalIgnoreCase)) ?? links.FirstOrDefault();
        var href = ((string?)link?.Attribute("href"))?.Trim();
        if (string.IsNullOrEmpty(href)) return null;
        return baseUri is not null && Uri.TryCreate(baseUri, href, out var resolved) ? resolved.AbsoluteUri : href;
    }

    /// <summary>The xml:lang in force on an element: its own or its nearest ancestor's (Atom entries inherit the feed's).</summary>
    private static string? LangOf(XElement element) =>
        element.AncestorsAndSelf().Select(e => ((string?)e.Attribute(XmlLang))?.Trim()).FirstOrDefault(lang => !string.IsNullOrEmpty(lang));

    private static Uri? BaseOf(XElement element, Uri? parentBase)
    {
        var declared = ((string?)element.Attribute(XmlBase))?.Trim();
        if (string.IsNullOrEmpty(declared)) return parentBase;
        if (Uri.TryCreate(declared, UriKind.Absolute, out var absolute)) return absolute;
        return parentBase is not null && Uri.TryCreate(parentBase, declared, out var relative) ? relative : parentBase;
    }

    private static XElement? AtomChild(XElement? parent, string name) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name && (e.Name.Namespace == Atom || e.Name.Namespace == Atom03 || e.Name.Namespace == XNamespace.None));

    private static IEnumerable<XElement> AtomChildren(XElement parent, string name) =>
        parent.Elements().Where(e => e.Name.LocalName == name && (e.Name.Namespace == Atom || e.Name.Namespace == Atom03 || e.Name.Namespace == XNamespace.None));

    /// <summary>The first child of this name in the format's own namespace, whatever the document made that.</summary>
    private static XElement? Core(XElement? parent, string name) => parent is null ? null : Cores(parent, name).FirstOrDefault(e => !string.IsNullOrWhiteSpace(e.Value)) ?? Cores(parent, name).FirstOrDefault();

    private static IEnumerable<XElement> Cores(XElement parent, string name) =>
        parent.Elements().Where(e => e.Name.LocalName.Equals(name, StringComparison.OrdinalIgnoreCase) && !Extensions.Contains(e.Name.Namespace));

    /// <summary>The element's text, trimmed (after C1 characters are mended: trimming would take U+0085, "…", for white space).</summary>
    private static string? Text(XElement? element) =>
        element is null || string.IsNullOrWhiteSpace(element.Value) ? null : TextRepair.Clean(element.Value).Trim() is { Length: > 0 } text ? text : null;

    private static string? InnerXml(XElement? element) =>
        element is null ? null : string.Concat(element.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting)));
}
