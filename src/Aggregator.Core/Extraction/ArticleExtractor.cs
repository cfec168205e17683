using SmartReader;

namespace Aggregator.Core.Extraction;

/// <summary>What the extraction stage found on an article page.</summary>
public sealed record ExtractedArticle(string? Title, string? Byline, DateTimeOffset? Published, string Text, bool Readable);

/// <summary>Main text of an article page, with SmartReader (a port of Mozilla's Readability). No I/O: the page is given.</summary>
public static class ArticleExtractor
{
    /// <summary>Below this much text an extraction is judged poor and the feed's own content is preferred.</summary>
    public const int MinimumTextLength = 200;

    /// <exception cref="MarkupLimitException">The page nests too deep or is too large to parse safely.</exception>
    public static ExtractedArticle Extract(string html, Uri url)
    {
        MarkupGuard.EnsureWithin(html, MarkupLimits.Page);
        // new Reader(url, html) parses the given text; Reader.ParseArticle(url, html) would download the URL instead.
        var article = new Reader(url.AbsoluteUri, html).GetArticle();
        var text = HtmlText.Normalize(article.TextContent ?? "");
        DateTimeOffset? published = article.PublicationDate is { } date
            ? new DateTimeOffset(date.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(date, DateTimeKind.Utc) : date.ToUniversalTime())
            : null;
        return new ExtractedArticle(
            string.IsNullOrWhiteSpace(article.Title) ? null : article.Title.Trim(),
            string.IsNullOrWhiteSpace(article.Byline) ? null : article.Byline.Trim(),
            published,
            text,
            article.IsReadable && text.Length >= MinimumTextLength);
    }
}
