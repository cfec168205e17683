using System.Security.Cryptography;
using System.Text;
using System.Xml;
using CodeHollow.FeedReader;
using CodeHollow.FeedReader.Feeds;
using CodeHollow.FeedReader.Parser;

namespace Aggregator.Core.Parsing;

/// <summary>
/// Bytes in, one common feed model out: decodes, repairs, checks that no DTD is left, then lets
/// CodeHollow.FeedReader detect the format (RSS 0.9x/1.0/2.0, Atom, JSON Feed) and map the entries.
/// </summary>
public static class FeedParser
{
    private static readonly XmlReaderSettings NoDtd = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    /// <param name="baseUrl">Where the document came from; relative links resolve against it.</param>
    /// <param name="limits">Nesting, attributes and time the parse may take (<see cref="ParseLimits.Default"/>).</param>
    /// <exception cref="FeedParseException">Not a feed, even after repair, or over the limits; the message says why.</exception>
    public static ParsedFeed Parse(ReadOnlySpan<byte> body, string? charset, Uri? baseUrl, ParseLimits? limits = null)
    {
        try
        {
            return ParseDecoded(body, charset, baseUrl, (limits ?? ParseLimits.Default).Start());
        }
        catch (FeedParseException e) when (FeedText.UnusableCharsetNote(body, charset) is { } note)
        {
            throw new FeedParseException($"{e.Message} {note}", e);
        }
    }

    private static ParsedFeed ParseDecoded(ReadOnlySpan<byte> body, string? charset, Uri? baseUrl, ParseBudget budget)
    {
        var text = FeedText.Decode(body, charset).TrimStart();
        if (text.Length == 0) throw new FeedParseException("The document is empty.");
        if (LooksLikeHtml(text))
            throw new FeedParseException("The document is an HTML page, not a feed (RSS, Atom or JSON Feed).");

        Feed feed;
        if (text[0] == '{')
        {
            feed = Read(text);
        }
        else
        {
            var xml = FeedRepair.Repair(text);
            if (budget.Limits.AttributeProblem(xml) is { } problem) throw new FeedParseException(problem);
            EnsureNoDtdWithin(xml, budget);
            feed = Read(xml);
        }
        if (feed.Type == FeedType.Unknown)
            throw new FeedParseException("The document is XML but not a feed: its root is not rss, RDF, feed or a JSON Feed.");

        var feedLink = Resolve(baseUrl, feed.Link) is { } link ? new Uri(link) : baseUrl;
        var items = feed.Items.Select(item => ToItem(item, feedLink, budget)).ToList();
        return new ParsedFeed(FormatName(feed.Type), Clean(feed.Title), feedLink?.AbsoluteUri, items);
    }

    private static Feed Read(string document)
    {
        try { return FeedReader.ReadFromString(document); }
        catch (FeedTypeNotSupportedException e)
        {
            throw new FeedParseException("The document is not a feed: its root is not rss, RDF, feed or a JSON Feed.", e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // FeedReader throws whatever its XML and JSON readers throw; all of it means "unreadable".
            throw new FeedParseException($"The feed could not be read, even after repair: {e.Message}", e);
        }
    }

    /// <summary>
    /// Belt and braces after <see cref="FeedRepair"/>: FeedReader processes DTDs, so none may reach it. Also where the
    /// document's shape is checked against the limits, in one streaming pass, before FeedReader builds a tree of it.
    /// </summary>
    private static void EnsureNoDtdWithin(string xml, ParseBudget budget)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), NoDtd);
            while (reader.Read())
                if (budget.Problem(reader) is { } problem) throw new FeedParseException(problem);
        }
        catch (XmlException e)
        {
            throw new FeedParseException($"The feed is not well-formed XML, even after repair: {e.Message}", e);
        }
    }

    private static bool LooksLikeHtml(string text) =>
        text.StartsWith("<!DOCTYPE html", StringComparison.OrdinalIgnoreCase) || text.StartsWith("<html", StringComparison.OrdinalIgnoreCase);

    private static ParsedItem ToItem(FeedItem item, Uri? feedLink, ParseBudget budget)
    {
        if (budget.OverTime() is { } problem) throw new FeedParseException(problem);
        var link = Resolve(feedLink, item.Link);
        var title = Clean(item.Title);
        var published = FeedDates.Parse(item.PublishingDateString)
            ?? FeedDates.Parse((item.SpecificItem as AtomFeedItem)?.UpdatedDateString)
            ?? (item.PublishingDate is { } date ? new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc)) : null);
        var summary = NullIfBlank(item.Description);
        var content = NullIfBlank(item.Content);
        var guid = NullIfBlank(item.Id) ?? link ?? Hash(title + "\n" + published?.ToString("O") + "\n" + summary);
        return new ParsedItem
        {
            Guid = guid.Trim(),
            Title = title ?? "",
            Link = link,
            Author = Clean(item.Author) ?? Clean(Creator(item.SpecificItem)),
            Published = published,
            Summary = summary,
            Content = content,
        };
    }

    /// <summary>RSS feeds often name the author only in Dublin Core's dc:creator, which FeedItem.Author leaves out.</summary>
    private static string? Creator(BaseFeedItem item) => item switch
    {
        Rss20FeedItem rss => rss.DC?.Creator,
        Rss10FeedItem rdf => rdf.DC?.Creator,
        MediaRssFeedItem media => media.DC?.Creator,
        _ => null,
    };

    /// <summary>An absolute http(s) link, resolved against the feed's address when relative.</summary>
    private static string? Resolve(Uri? baseUrl, string? link)
    {
        if (string.IsNullOrWhiteSpace(link)) return null;
        link = link.Trim();
        Uri? uri;
        if (!Uri.TryCreate(link, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https"))
        {
            if (baseUrl is null || !Uri.TryCreate(baseUrl, link, out uri)) return null;
        }
        return uri.Scheme is "http" or "https" ? uri.AbsoluteUri : null;
    }

    private static string FormatName(FeedType type) => type switch
    {
        FeedType.Atom => "atom",
        FeedType.Rss_0_91 => "rss-0.91",
        FeedType.Rss_0_92 => "rss-0.92",
        FeedType.Rss_1_0 => "rss-1.0",
        FeedType.Rss_2_0 or FeedType.MediaRss or FeedType.Rss => "rss-2.0",
        FeedType.JsonFeed => "json-feed",
        _ => type.ToString().ToLowerInvariant(),
    };

    private static string? Clean(string? text) => NullIfBlank(text) is { } value ? Extraction.HtmlText.ToPlainText(value) : null;

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static string Hash(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
