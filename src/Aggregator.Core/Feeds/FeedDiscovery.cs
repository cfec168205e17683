using AngleSharp.Html.Parser;
using Aggregator.Core.Extraction;
using Aggregator.Core.Fetching;
using Aggregator.Core.Parsing;

namespace Aggregator.Core.Feeds;

/// <summary>A feed an HTML page advertises, with the title its link gives it.</summary>
public sealed record FoundFeed(string Url, string? Title);

/// <summary>What answers at a URL someone subscribes to.</summary>
public abstract record Probe
{
    private Probe() { }

    /// <summary>A feed, with its own title.</summary>
    public sealed record Feed(string? Title) : Probe;

    /// <summary>An HTML page advertising feeds, in the page's order.</summary>
    public sealed record Page(IReadOnlyList<FoundFeed> Feeds) : Probe;

    /// <summary>An HTML page that advertises no feed.</summary>
    public sealed record PageWithoutFeeds : Probe;

    /// <summary>Nothing usable came back (a network error, an HTTP error, a refused address, a broken feed): the URL is taken as given, and its polls will say what is wrong.</summary>
    public sealed record Unchecked(string Reason) : Probe;
}

/// <summary>
/// Feed autodiscovery, as feed readers do it: a URL given to subscribe to is fetched once (through the one guarded
/// HTTP client); a feed is a feed, and an HTML page is searched for the feeds it advertises in its head
/// (&lt;link rel="alternate" type="application/rss+xml | atom+xml | feed+json" href&gt;).
/// </summary>
public sealed class FeedDiscovery(HttpFetcher fetcher)
{
    private static readonly string[] FeedTypes =
        // Not application/json: WordPress advertises its REST API under it on every page.
        ["application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml"];

    public async Task<Probe> ProbeAsync(Uri url, CancellationToken ct = default)
    {
        FetchResult fetched;
        try
        {
            fetched = await fetcher.FetchAsync(url, FetchKind.Feed, validators: null, ct);
        }
        catch (FetchException e)
        {
            return new Probe.Unchecked(e.Message);
        }
        try
        {
            return new Probe.Feed(FeedParser.Parse(fetched.Body, fetched.Charset, fetched.FinalUrl).Title);
        }
        catch (FeedParseException e)
        {
            var html = FeedText.DecodeHtml(fetched.Body, fetched.Charset);
            if (!FeedParser.LooksLikeHtml(html.TrimStart()) && fetched.ContentType is not ("text/html" or "application/xhtml+xml"))
                return new Probe.Unchecked(e.Message);
            var found = Advertised(html, fetched.FinalUrl);
            return found.Count > 0 ? new Probe.Page(found) : new Probe.PageWithoutFeeds();
        }
    }

    /// <summary>The feeds a page's head links to, resolved and normalised, each once.</summary>
    public static IReadOnlyList<FoundFeed> Advertised(string html, Uri pageUrl)
    {
        // Feed links belong in the head; the body (where hostile nesting would be) is never parsed.
        var end = html.IndexOf("<body", StringComparison.OrdinalIgnoreCase);
        var head = end < 0 ? html : html[..end];
        if (MarkupGuard.Check(head, MarkupLimits.Page) is not null) return [];
        var document = new HtmlParser().ParseDocument(head);
        var baseUrl = document.QuerySelector("base[href]")?.GetAttribute("href") is { } href && Uri.TryCreate(pageUrl, href, out var declared)
            ? declared
            : pageUrl;
        var found = new List<FoundFeed>();
        foreach (var link in document.QuerySelectorAll("link[href]"))
        {
            var rel = (link.GetAttribute("rel") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var type = (link.GetAttribute("type") ?? "").Split(';')[0].Trim();
            if (!rel.Contains("alternate", StringComparer.OrdinalIgnoreCase) || !FeedTypes.Contains(type, StringComparer.OrdinalIgnoreCase)) continue;
            if (!Uri.TryCreate(baseUrl, link.GetAttribute("href")!.Trim(), out var target) || !FeedUrl.TryNormalize(target.AbsoluteUri, out var normalized, out _)) continue;
            if (found.Any(f => f.Url == normalized)) continue;
            found.Add(new FoundFeed(normalized, link.GetAttribute("title")?.Trim() is { Length: > 0 } title ? title : null));
        }
        return found;
    }
}
