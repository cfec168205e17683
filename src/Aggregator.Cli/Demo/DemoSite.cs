using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Cli.Demo;

/// <summary>
/// The demo's news site: each sample feed in its own format (RSS 2.0, Atom, JSON Feed) and an article page per story,
/// with the navigation, related links and footer a real page has around its text. Publication times are relative to now.
/// </summary>
public static class DemoSite
{
    public static void Map(WebApplication app, TimeProvider clock)
    {
        foreach (var feed in DemoContent.Feeds)
        {
            app.MapGet(feed.Path, (HttpContext context) =>
            {
                var site = $"{context.Request.Scheme}://{context.Request.Host}";
                var now = clock.GetUtcNow();
                return feed.Format switch
                {
                    DemoFormat.Rss => Results.Text(Rss(feed, site, now), "application/rss+xml; charset=utf-8"),
                    DemoFormat.Atom => Results.Text(Atom(feed, site, now), "application/atom+xml; charset=utf-8"),
                    _ => Results.Text(JsonFeed(feed, site, now), "application/feed+json; charset=utf-8"),
                };
            });
            foreach (var story in feed.Stories)
                app.MapGet(ArticlePath(story), () => Results.Text(ArticlePage(feed, story, clock.GetUtcNow()), "text/html; charset=utf-8"));
        }
    }

    public static string ArticlePath(DemoStory story) => $"/articles/{story.Slug}.html";

    private static DateTimeOffset Published(DemoStory story, DateTimeOffset now) =>
        (now - TimeSpan.FromHours(story.HoursAgo)).AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));

    private const string XmlDeclaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Rss(DemoFeed feed, string site, DateTimeOffset now) => XmlDeclaration + new XElement("rss", new XAttribute("version", "2.0"),
        new XElement("channel",
            new XElement("title", feed.Title), new XElement("link", site + "/"), new XElement("description", DemoContent.Notice),
            feed.Stories.Select(s => new XElement("item",
                new XElement("title", s.Title),
                new XElement("link", site + ArticlePath(s)),
                new XElement("guid", new XAttribute("isPermaLink", "false"), "demo-" + s.Slug),
                new XElement("pubDate", Published(s, now).ToString("R")),
                new XElement("description", s.Summary)))));

    private static string Atom(DemoFeed feed, string site, DateTimeOffset now)
    {
        XNamespace atom = "http://www.w3.org/2005/Atom";
        return XmlDeclaration + new XElement(atom + "feed",
            new XElement(atom + "title", feed.Title),
            new XElement(atom + "subtitle", DemoContent.Notice),
            new XElement(atom + "id", "urn:aggregator-demo:" + feed.Path),
            new XElement(atom + "link", new XAttribute("href", site + "/")),
            new XElement(atom + "updated", Iso(now)),
            feed.Stories.Select(s => new XElement(atom + "entry",
                new XElement(atom + "title", s.Title),
                new XElement(atom + "id", "urn:aggregator-demo:" + s.Slug),
                new XElement(atom + "link", new XAttribute("href", site + ArticlePath(s))),
                new XElement(atom + "published", Iso(Published(s, now))),
                new XElement(atom + "updated", Iso(Published(s, now))),
                new XElement(atom + "author", new XElement(atom + "name", s.Reporter)),
                new XElement(atom + "summary", s.Summary))));
    }

    private static string JsonFeed(DemoFeed feed, string site, DateTimeOffset now) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["version"] = "https://jsonfeed.org/version/1.1",
        ["title"] = feed.Title,
        ["description"] = DemoContent.Notice,
        ["home_page_url"] = site + "/",
        ["feed_url"] = site + feed.Path,
        ["items"] = feed.Stories.Select(s => new Dictionary<string, object>
        {
            ["id"] = "demo-" + s.Slug,
            ["url"] = site + ArticlePath(s),
            ["title"] = s.Title,
            ["summary"] = s.Summary,
            ["date_published"] = Iso(Published(s, now)),
            ["authors"] = new[] { new Dictionary<string, string> { ["name"] = s.Reporter } },
        }).ToList(),
    });

    private static string ArticlePage(DemoFeed feed, DemoStory story, DateTimeOffset now)
    {
        static string H(string text) => WebUtility.HtmlEncode(text);
        var others = DemoContent.Feeds.SelectMany(f => f.Stories).Where(s => s != story).Take(3);
        return $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{H(story.Title)} | {H(feed.Title)}</title>
            <meta name="author" content="{H(story.Reporter)}"></head>
            <body>
              <header><a href="/">{H(feed.Title)}</a>
                <nav><a href="/world">World</a> <a href="/europe">Europe</a> <a href="/science">Science</a> <a href="/subscribe">Subscribe</a></nav></header>
              <main>
                <h1>{H(story.Title)}</h1>
                <div class="byline">By {H(story.Reporter)} · <time datetime="{Iso(Published(story, now))}">{Published(story, now).ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}</time></div>
                <article>{string.Concat(story.Paragraphs.Select(p => $"<p>{H(p)}</p>\n"))}</article>
              <aside><h2>Related</h2><ul>{string.Concat(others.Select(o => $"<li><a href=\"{ArticlePath(o)}\">{H(o.Title)}</a></li>"))}</ul></aside></main>
              <footer><p>{H(DemoContent.Notice)}</p><p>Share · Print · Contact the newsroom</p></footer>
            </body></html>
            """;
    }
}
