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
/// fingerprint it, decide its language and tag its entities. Produces a story ready to store.
/// </summary>
public sealed class StoryBuilder(HttpFetcher fetcher, StoryTagger tagger, IOptions<IngestionOptions> options, TimeProvider clock)
{
    public async Task<(NewStory Story, string? Warning)> BuildAsync(long feedId, IdentifiedItem entry, bool fetchArticle, CancellationToken ct)
    {
        var item = entry.Item;
        var now = clock.GetUtcNow();
        var feedText = HtmlText.ToPlainText(TextRepair.Clean(item.Content ?? item.Summary ?? ""));
        ExtractedArticle? article = null;
        string? warning = null;
        if (fetchArticle && item.Link is not null)
            (article, warning) = await FetchArticleAsync(new Uri(item.Link), ct);

        var extracted = article is { Readable: true } && article.Text.Length >= feedText.Length / 2;
        var text = Truncate(extracted ? TextRepair.Clean(article!.Text) : feedText);
        var pageTitle = article?.Title is { } found ? TextRepair.Clean(found) : null;
        var title = extracted && pageTitle is not null && !Confirms(pageTitle, item.Title) ? pageTitle
            : item.Title.Length > 0 ? item.Title : pageTitle ?? FirstWords(text);
        var published = Plausible(item.Published, now) ?? Plausible(article?.Published, now) ?? now;

        var tags = tagger.Tag(title, text, item.Language);
        var story = new NewStory
        {
            FeedId = feedId,
            Guid = entry.Key,
            Title = title,
            ItemTitle = item.Title.Length > 0 ? item.Title : null,
            Link = entry.Link,
            LinkIdentifies = entry.LinkIdentifies,
            Author = item.Author ?? (article?.Byline is { } byline ? TextRepair.Clean(byline) : null),
            Published = published,
            Summary = item.Summary is null ? null : Truncate(HtmlText.ToPlainText(TextRepair.Clean(item.Summary)), 2_000),
            Text = text,
            Extraction = extracted ? article!.Path : fetchArticle ? ExtractionStatus.FeedContent : ExtractionStatus.NotAttempted,
            ContentHash = ContentHash.Of(title, text),
            Mentions = tags.Mentions,
            TaggerVersion = tags.Version,
            Language = tags.Language,
            Tagging = tags.Tagging,
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
            var html = FeedText.DecodeHtml(page.Body, page.Charset);
            return (ArticleExtractor.Extract(html, page.FinalUrl), null);
        }
        catch (Exception e) when (e is FetchException or MarkupLimitException)
        {
            return (null, $"{link}: {e.Message} Used the feed's content.");
        }
    }

    /// <summary>
    /// Whether the page bears out the feed's title (it contains it, with the site's name or not). The page decides what
    /// its story is called; a feed's title the page does not bear out stays on that feed's link to the story
    /// (ItemTitle), so a feed cannot retitle another feed's story — and a page title that only adds " | Site" to the
    /// feed's does not replace the cleaner one.
    /// </summary>
    private static bool Confirms(string pageTitle, string itemTitle) =>
        itemTitle.Length > 0 && HtmlText.Normalize(pageTitle).Contains(HtmlText.Normalize(itemTitle), StringComparison.OrdinalIgnoreCase);

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
