using System.Diagnostics;
using System.Text;
using Aggregator.Core.Extraction;
using Aggregator.Core.Feeds;
using Aggregator.Core.Parsing;

namespace Aggregator.Cli.Commands;

/// <summary>
/// aggregator bench parse: how long the parsing stages take on documents built to be expensive (deep nesting,
/// attribute floods, unclosed declarations) next to an ordinary 10 MB feed, and what each ends as. Figures, not pass/fail.
/// </summary>
public static class BenchParseCommand
{
    public static int Run(TextWriter stdout)
    {
        var feed = (string body) => $"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><guid>1</guid><title>One</title>{body}</item></channel></rss>""";
        var wide = "<rss version=\"2.0\"><channel><title>Wide</title>"
            + string.Concat(Enumerable.Range(0, 2_500).Select(i => $"<item><guid>{i}</guid><title>Item {i}</title><link>http://example.org/{i}</link><description>{new string('w', 4_000)}</description></item>"))
            + "</channel></rss>";
        var cases = new (string Name, string Stage, string Document)[]
        {
            ("ordinary feed, 2,500 items", "feed", wide),
            ("100,000 nested XML elements", "feed", feed("<description>" + Repeat("<a>", 100_000) + Repeat("</a>", 100_000) + "</description>")),
            ("400,000 attributes on one element", "feed", feed("<description" + string.Concat(Enumerable.Range(0, 400_000).Select(i => $" a{i}=\"x\"")) + ">x</description>")),
            ("\"<!DOCTYPE [\" x 200,000", "feed", feed("") + Repeat("<!DOCTYPE [", 200_000)),
            ("\"<![CDATA[\" x 200,000", "feed", feed("") + Repeat("<![CDATA[", 200_000)),
            ("item of 100,000 nested <div>", "feed", feed("<description><![CDATA[" + Repeat("<div>", 100_000) + "text]]></description>")),
            ("OPML nested 100,000 deep", "opml", "<opml version=\"2.0\"><body>" + Repeat("<outline text=\"x\">", 100_000) + Repeat("</outline>", 100_000) + "</body></opml>"),
            ("article page of 100,000 nested <div>", "page", "<html><body>" + Repeat("<div>", 100_000) + "text</body></html>"),
        };
        Run("ordinary feed (warm-up)", "feed", wide);
        foreach (var (name, stage, document) in cases)
            stdout.WriteLine(Run(name, stage, document));
        return 0;
    }

    private static string Run(string name, string stage, string document)
    {
        var clock = Stopwatch.StartNew();
        string outcome;
        try
        {
            outcome = stage switch
            {
                "feed" => $"{FeedParser.Parse(Encoding.UTF8.GetBytes(document), null, null).Items.Count} items",
                "opml" => $"{Opml.Read(new MemoryStream(Encoding.UTF8.GetBytes(document))).Count} outlines",
                _ => $"{ArticleExtractor.Extract(document, new Uri("https://example.org/")).Text.Length} characters",
            };
        }
        catch (Exception e) when (e is FeedParseException or InvalidDataException or MarkupLimitException)
        {
            outcome = "refused: " + e.Message;
        }
        return $"{name,-40} {document.Length / 1024,7:N0} KB {clock.Elapsed.TotalMilliseconds,8:N0} ms  {outcome}";
    }

    private static string Repeat(string text, int times) => new StringBuilder(text.Length * times).Insert(0, text, times).ToString();
}
