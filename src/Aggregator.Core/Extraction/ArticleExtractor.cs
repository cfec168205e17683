using System.Globalization;
using System.Net;
using Aggregator.Core.Model;
using AngleSharp.Html.Parser;

namespace Aggregator.Core.Extraction;

/// <summary>What the extraction stage found on an article page; Path says which way the text was found.</summary>
public sealed record ExtractedArticle(string? Title, string? Byline, DateTimeOffset? Published, string Text, bool Readable, ExtractionStatus Path);

/// <summary>
/// Main text of an article page. The page is parsed once (AngleSharp) and flattened in one walk; the text comes from
/// the page's JSON-LD articleBody (of the article at <c>url</c>, when the JSON-LD says) when it is whole and agrees with
/// the page, else from the main block the page's
/// structure and paragraph scores point to. No I/O: the page is given, already decoded.
/// </summary>
public static class ArticleExtractor
{
    /// <summary>Below this much text an extraction is judged poor and the feed's own content is preferred.</summary>
    public const int MinimumTextLength = 200;

    private static readonly HtmlParser Parser = new(new HtmlParserOptions { IsKeepingSourceReferences = false });
    private static readonly string[] AuthorKeys = ["author", "article:author", "dc.creator", "byl"];
    private static readonly string[] PublishedKeys = ["article:published_time", "datePublished", "pubdate", "publishdate", "dc.date.issued", "dc.date", "date"];

    /// <exception cref="MarkupLimitException">The page nests too deep or is too large to parse safely.</exception>
    public static ExtractedArticle Extract(string html, Uri url)
    {
        MarkupGuard.EnsureWithin(html, MarkupLimits.Page);
        using var document = Parser.ParseDocument(html);
        var page = PageModel.Build(document);
        var structured = StructuredData.From(page.JsonLd, url);
        var title = Clean(Meta(page, "og:title") ?? structured.Headline ?? page.DocumentTitle);
        var (text, path) = MainText.Extract(page, title);
        var status = path switch
        {
            MainTextPath.ArticleMarkup => ExtractionStatus.ArticleMarkup,
            MainTextPath.Paragraphs => ExtractionStatus.PageParagraphs,
            _ => ExtractionStatus.Extracted,
        };
        if (WholeStructuredBody(structured.ArticleBody, page, text) is { } body)
            (text, status) = (body, ExtractionStatus.StructuredData);
        return new ExtractedArticle(title, Byline(page, structured), Published(page, structured), text, text.Length >= MinimumTextLength, status);
    }

    /// <summary>
    /// The JSON-LD body, when it is long enough and its words are the page's own (not a stale or foreign body), unless
    /// the main text found on the page holds it and more besides: then the JSON-LD is an excerpt or lacks parts.
    /// </summary>
    private static string? WholeStructuredBody(string? articleBody, PageModel page, string mainText)
    {
        if (articleBody is null) return null;
        var body = articleBody.Contains('<') ? HtmlText.ToPlainText(articleBody) : HtmlText.Normalize(WebUtility.HtmlDecode(articleBody));
        if (body.Length < MinimumTextLength) return null;
        if (Words.ShareFoundIn(body, Words.Set(page.Texts())) < 0.8) return null;
        var fuller = mainText.Length > body.Length * 1.05 && Words.ShareFoundIn(body, Words.Set([mainText])) >= 0.9;
        return fuller ? null : body;
    }

    private static string? Meta(PageModel page, string key) => page.Meta.TryGetValue(key, out var value) ? Clean(value) : null;

    private static string? Byline(PageModel page, StructuredData structured)
    {
        foreach (var key in AuthorKeys)
            if (Meta(page, key) is { } author && !author.Contains("://", StringComparison.Ordinal))
                return author.StartsWith("By ", StringComparison.OrdinalIgnoreCase) ? author[3..].Trim() : author;
        return structured.Author;
    }

    private static DateTimeOffset? Published(PageModel page, StructuredData structured)
    {
        var candidates = PublishedKeys.Select(key => Meta(page, key)).Append(structured.DatePublished).Append(page.FirstTime);
        foreach (var candidate in candidates)
            if (DateTimeOffset.TryParse(candidate, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
                return date.ToUniversalTime();
        return null;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : HtmlText.Normalize(value);
}
