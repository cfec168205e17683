using System.Text;

namespace Aggregator.Tests.Support;

/// <summary>Documents written by the tests: feeds and article pages.</summary>
public static class Fixtures
{
    public static string Path(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    public static string Read(string relative) => File.ReadAllText(Path(relative));

    public sealed record Item(string Guid, string Title, string Link, string Description, string? PubDate = "Sat, 28 Nov 2026 10:00:00 GMT");

    public static string Rss(string title, params Item[] items)
    {
        var builder = new StringBuilder($"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title><link>http://example.org/</link>""");
        foreach (var item in items)
        {
            builder.Append($"<item><guid isPermaLink=\"false\">{item.Guid}</guid><title>{item.Title}</title><link>{item.Link}</link>");
            builder.Append($"<description><![CDATA[{item.Description}]]></description>");
            if (item.PubDate is not null) builder.Append($"<pubDate>{item.PubDate}</pubDate>");
            builder.Append("</item>");
        }
        return builder.Append("</channel></rss>").ToString();
    }

    /// <summary>An article page with enough text for extraction to count as good.</summary>
    public static string ArticlePage(string title, string body) => $"""
        <!DOCTYPE html>
        <html><head><title>{title} | Example News</title><meta name="author" content="Jane Reporter"></head>
        <body>
          <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
          <article>
            <h1>{title}</h1>
            <p>{body}</p>
            <p>Officials said the talks would continue next week, and that a joint statement was expected after the second round of meetings between the delegations.</p>
            <p>Analysts noted that the agreement, if reached, would be the first of its kind in more than a decade, and that both sides had strong reasons to settle.</p>
          </article>
          <footer>Copyright Example News. All rights reserved.</footer>
        </body></html>
        """;
}
