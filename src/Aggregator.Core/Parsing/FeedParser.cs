using System.Net;
using System.Security.Cryptography;
using System.Text;
using Aggregator.Core.Extraction;

namespace Aggregator.Core.Parsing;

/// <summary>
/// Bytes in, one common feed model out: decodes, repairs, reads the XML (never a DTD) or JSON leniently, then maps
/// RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed entries into <see cref="ParsedItem"/>s (see <see cref="XmlFeedFormats"/>).
/// </summary>
public static class FeedParser
{
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

        RawFeed feed;
        string? documentBreak;
        if (text[0] == '{')
        {
            (feed, documentBreak) = JsonFeedFormat.Read(text);
            if (documentBreak is not null && feed.Entries.Count == 0)
                throw new FeedParseException($"The document is not valid JSON, and no item was complete before the break: {documentBreak}");
        }
        else
        {
            var xml = FeedRepair.Repair(text);
            if (budget.Limits.AttributeProblem(xml) is { } problem) throw new FeedParseException(problem);
            var (tree, error) = LenientXml.Read(xml, budget);
            if (tree is null) throw new FeedParseException($"The feed is not well-formed XML, even after repair: {error}");
            feed = XmlFeedFormats.Read(tree, baseUrl);
            documentBreak = tree.Break;
            if (documentBreak is not null && feed.Entries.Count == 0)
                throw new FeedParseException($"The feed is not well-formed XML, even after repair, and no item was complete before the break: {documentBreak}");
        }

        var feedLink = Resolve(baseUrl, feed.Link) is { } link ? new Uri(link) : baseUrl;
        var items = feed.Entries.Select(entry => ToItem(entry, feedLink, budget)).ToList();
        var warning = documentBreak is null ? null
            : $"The document breaks off ({documentBreak}); the {items.Count} complete items before the break were read.";
        return new ParsedFeed(feed.Format, PlainText(feed.Title), feedLink?.AbsoluteUri, items) { Warning = warning };
    }

    /// <summary>A document that starts as an HTML page does (after any whitespace).</summary>
    public static bool LooksLikeHtml(string text) =>
        text.StartsWith("<!DOCTYPE html", StringComparison.OrdinalIgnoreCase) || text.StartsWith("<html", StringComparison.OrdinalIgnoreCase);

    private static ParsedItem ToItem(RawEntry entry, Uri? feedLink, ParseBudget budget)
    {
        if (budget.OverTime() is { } problem) throw new FeedParseException(problem);
        var link = Resolve(entry.Base ?? feedLink, entry.Link);
        var title = PlainText(entry.Title);
        var published = entry.Dates.Select(FeedDates.Parse).FirstOrDefault(d => d is not null);
        var summary = Markup(entry.Summary);
        var content = Markup(entry.Content);
        var author = entry.Author is null ? null : NullIfBlank(HtmlText.ToPlainText(TextRepair.Clean(entry.Author)));
        var id = NullIfBlank(entry.Id)?.Trim();
        var guid = id ?? link ?? Hash(title + "\n" + published?.ToString("O") + "\n" + summary + "\n" + content);
        return new ParsedItem
        {
            Guid = guid,
            HasId = id is not null,
            Title = title ?? "",
            Link = link,
            Author = author,
            Published = published,
            Summary = summary,
            Content = content,
            Language = entry.Language,
        };
    }

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

    /// <summary>
    /// Titles are stored as plain text: markup is converted, text is only tidied (after the C1 characters are mended,
    /// which would otherwise pass for white space).
    /// </summary>
    private static string? PlainText(FeedString? text) =>
        text is { } value && TextRepair.Clean(value.Value) is var clean ? NullIfBlank(value.IsHtml ? HtmlText.ToPlainText(clean) : HtmlText.Normalize(clean)) : null;

    /// <summary>Summaries and content travel on as HTML; plain text is escaped so that it stays text.</summary>
    private static string? Markup(FeedString? text) =>
        text is { } value ? NullIfBlank(value.IsHtml ? value.Value : WebUtility.HtmlEncode(value.Value)) : null;

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static string Hash(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
