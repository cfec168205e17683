using Aggregator.Core.Dedup;
using Aggregator.Core.Extraction;
using Aggregator.Core.Fetching;
using Aggregator.Core.Model;
using Aggregator.Core.Parsing;
using Aggregator.Core.Tagging;
using Microsoft.Extensions.Options;

namespace Aggregator.Core.Ingestion;

/// <summary>
/// The per-item stages: fetch the article page, extract its text (falling back to the feed's own content),
/// fingerprint it, tag its entities. Produces a story ready to store.
/// </summary>
public sealed class StoryBuilder(HttpFetcher fetcher, StoryTagger tagger, IOptions<IngestionOptions> options, TimeProvider clock)
{
    public async Task<(NewStory Story, string? Warning)> BuildAsync(long feedId, ParsedItem item, bool fetchArticle, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var feedText = HtmlText.ToPlainText(item.Content ?? item.Summary ?? "");
        ExtractedArticle? article = null;
        string? warning = null;
        if (fetchArticle && item.Link is not null)
            (article, warning) = await FetchArticleAsync(new Uri(item.Link), ct);

        var extracted = article is { Readable: true } && article.Text.Length >= feedText.Length / 2;
        var text = Truncate(extracted ? article!.Text : feedText);
        var title = item.Title.Length > 0 ? item.Title : article?.Title ?? FirstWords(text);
        var published = Plausible(item.Published, now) ?? Plausible(article?.Published, now) ?? now;

        var tags = tagger.Tag(title, text);
        var story = new NewStory
        {
            FeedId = feedId,
            Guid = item.Guid,
            Title = title,
            Link = CanonicalLink.From(item.Link),
            Author = item.Author ?? article?.Byline,
            Published = published,
            Summary = item.Summary is null ? null : Truncate(HtmlText.ToPlainText(item.Summary), 2_000),
            Text = text,
            Extraction = extracted ? ExtractionStatus.Extracted : fetchArticle ? ExtractionStatus.FeedContent : ExtractionStatus.NotAttempted,
            ContentHash = ContentHash.Of(title, text),
            Mentions = tags.Mentions,
            TaggerVersion = tags.Version,
        };
        return (story, warning);
    }

    private async Task<(ExtractedArticle? Article, string? Warning)> FetchArticleAsync(Uri link, CancellationToken ct)
    {
        try
        {
            var page = await fetcher.FetchAsync(link, FetchKind.Page, ct: ct);
            if (page.ContentType is not null && !page.ContentType.Contains("html", StringComparison.OrdinalIgnoreCase))
                return (null, $"{link}: not an HTML page ({page.ContentType}); used the feed's content.");
            var html = FeedText.Decode(page.Body, page.Charset);
            return (ArticleExtractor.Extract(html, page.FinalUrl), null);
        }
        catch (Exception e) when (e is FetchException or MarkupLimitException)
        {
            return (null, $"{link}: {e.Message} Used the feed's content.");
        }
    }

    /// <summary>Dates in the future or before the web had news feeds are a feed's mistake: first-seen time is truer.</summary>
    private static DateTimeOffset? Plausible(DateTimeOffset? date, DateTimeOffset now) =>
        date is { } d && d.Year >= 1995 && d <= now.AddHours(1) ? d : null;

    private string Truncate(string text, int? max = null)
    {
        var limit = max ?? options.Value.MaxTextLength;
        return text.Length <= limit ? text : text[..limit];
    }

    private static string FirstWords(string text) =>
        text.Length <= 80 ? text : text[..(text.LastIndexOf(' ', 80) is var i and > 0 ? i : 80)] + "…";
}
