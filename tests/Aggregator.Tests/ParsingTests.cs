using System.Text;
using Aggregator.Core.Dedup;
using Aggregator.Core.Ingestion;
using Aggregator.Core.Feeds;
using Aggregator.Core.Model;
using Aggregator.Core.Parsing;

namespace Aggregator.Tests;

public sealed class ParsingTests
{
    private static ParsedFeed Parse(string xml, string? charset = null) => FeedParser.Parse(Encoding.UTF8.GetBytes(xml), charset, new Uri("http://example.org/feed"));

    [Fact]
    public void Reads_atom_rss1_and_json_feed_into_one_model()
    {
        var atom = Parse("""<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><id>urn:1</id><title>Atom entry</title><link href="/a/1"/><updated>2026-11-28T09:30:00+02:00</updated><summary>S</summary></entry></feed>""");
        var rdf = Parse("""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>R</title><link>http://example.org/</link></channel><item rdf:about="http://example.org/r1"><title>RDF item</title><link>http://example.org/r1</link></item></rdf:RDF>""");
        var json = Parse("""{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"j1","title":"Json item","url":"https://example.org/j1","content_text":"Body"}]}""");

        Assert.Equal(("atom", "Atom entry", "http://example.org/a/1"), (atom.Format, atom.Items[0].Title, atom.Items[0].Link));
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 7, 30, 0, TimeSpan.Zero), atom.Items[0].Published);
        Assert.Equal(("rss-1.0", "RDF item"), (rdf.Format, rdf.Items[0].Title));
        Assert.Equal(("json-feed", "Json item", "j1"), (json.Format, json.Items[0].Title, json.Items[0].Guid));
    }

    [Fact]
    public void Repairs_entities_bare_ampersands_leading_whitespace_and_keeps_cdata()
    {
        var feed = Parse("\n\n  <?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>T</title>" +
                         "<item><title>Tom &amp; Jerry&nbsp;&mdash; S&P 500 &copy;</title><link>http://example.org/?a=1&b=2</link>" +
                         "<description><![CDATA[<p>Fish & chips &amp; more</p>]]></description><pubDate>Tue, 03 Jun 2008 11:05:30 EST</pubDate></item></channel></rss>");

        var item = Assert.Single(feed.Items);
        Assert.Equal("Tom & Jerry\u00a0\u2014 S&P 500 \u00a9".Replace('\u00a0', ' '), item.Title.Replace('\u00a0', ' '));
        Assert.Equal("http://example.org/?a=1&b=2", item.Link);
        Assert.Equal("<p>Fish & chips &amp; more</p>", item.Summary);
        Assert.Equal(new DateTimeOffset(2008, 6, 3, 16, 5, 30, TimeSpan.Zero), item.Published);
    }

    [Fact]
    public void Never_expands_a_dtd_entity()
    {
        const string bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [
              <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
              <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
              <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
              <!ENTITY xxe SYSTEM "file:///etc/passwd">
            ]>
            <rss version="2.0"><channel><title>Bomb</title><item><guid>1</guid><title>&c; &xxe;</title></item></channel></rss>
            """;

        var item = Assert.Single(Parse(bomb).Items);

        Assert.Equal("&c; &xxe;", item.Title);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("<html><body>hi</body></html>", "HTML page")]
    [InlineData("<rss><channel><item>", "not well-formed")]
    [InlineData("<note><to>x</to></note>", "not a feed")]
    public void Unreadable_documents_fail_with_a_clear_reason(string document, string reason)
    {
        var error = Assert.Throws<FeedParseException>(() => Parse(document));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Charset_comes_from_the_header_then_the_declaration_then_a_latin1_guess()
    {
        var latin1 = Encoding.Latin1.GetBytes("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>Caf\u00e9</title></channel></rss>");
        var undeclared = Encoding.Latin1.GetBytes("<rss version=\"2.0\"><channel><title>Caf\u00e9</title></channel></rss>");
        var utf8WithBom = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("<rss version=\"2.0\"><channel><title>Caf\u00e9</title></channel></rss>")).ToArray();

        Assert.Equal("Caf\u00e9", FeedParser.Parse(latin1, null, null).Title);
        Assert.Equal("Caf\u00e9", FeedParser.Parse(undeclared, null, null).Title);
        Assert.Equal("Caf\u00e9", FeedParser.Parse(utf8WithBom, "iso-8859-1", null).Title);
        Assert.Equal("Caf\u00e9", FeedParser.Parse(latin1, "iso-8859-1", null).Title);
    }

    [Theory]
    [InlineData("https://Example.org:443/a/b?utm_source=rss&id=7&fbclid=x#frag", "https://example.org/a/b?id=7")]
    [InlineData("http://example.org/story?utm_medium=feed", "http://example.org/story")]
    [InlineData("javascript:alert(1)", null)]
    public void Canonical_links_drop_tracking_and_fragments(string link, string? expected) =>
        Assert.Equal(expected, CanonicalLink.From(link));

    [Fact]
    public void Content_hash_ignores_case_spacing_and_punctuation() =>
        Assert.Equal(ContentHash.Of("Talks resume", "Delegates met, again."), ContentHash.Of("TALKS  resume!", "delegates met again"));

    [Fact]
    public void Backoff_doubles_from_the_interval_is_capped_and_honours_retry_after()
    {
        var interval = TimeSpan.FromMinutes(15);
        var max = TimeSpan.FromHours(6);
        Assert.Equal(TimeSpan.FromMinutes(15), Backoff.Delay(1, interval, max));
        Assert.Equal(TimeSpan.FromMinutes(60), Backoff.Delay(3, interval, max));
        Assert.Equal(max, Backoff.Delay(30, interval, max));
        Assert.Equal(TimeSpan.FromHours(2), Backoff.Delay(1, interval, max, TimeSpan.FromHours(2)));
        Assert.Equal(TimeSpan.FromDays(1), Backoff.Delay(1, interval, max, TimeSpan.FromDays(30)));
    }

    [Theory]
    [InlineData(15, "*/15 * * * *")]
    [InlineData(60, "0 */1 * * *")]
    [InlineData(45, "* * * * *")]
    [InlineData(1, "* * * * *")]
    public void Poll_cron_follows_the_interval(int minutes, string cron) => Assert.Equal(cron, PollSchedule.Cron(minutes));

    [Fact]
    public void A_feed_is_due_after_its_interval_and_not_while_resting()
    {
        var now = DateTimeOffset.UtcNow;
        var feed = new Feed { Url = "https://example.org/rss", Name = "x", IntervalMinutes = 15 };
        Assert.True(PollSchedule.IsDue(feed, now));
        Assert.False(PollSchedule.IsDue(feed with { Health = new FeedHealth { LastAttemptAt = now.AddMinutes(-5) } }, now));
        Assert.True(PollSchedule.IsDue(feed with { Health = new FeedHealth { LastAttemptAt = now.AddMinutes(-15) } }, now));
        Assert.False(PollSchedule.IsDue(feed with { Health = new FeedHealth { NotBefore = now.AddMinutes(1) } }, now));
        Assert.False(PollSchedule.IsDue(feed with { Enabled = false }, now));
    }

    [Theory]
    [InlineData("kabul doha", 1, 2)]
    [InlineData("\"peace talks\" kabul*", 1, 2)]
    [InlineData("kabul OR doha -qatar", 2, 3)]
    public void Search_expressions_parse_words_phrases_prefixes_and_alternatives(string text, int alternatives, int terms)
    {
        var expression = SearchExpression.Parse(text);
        Assert.Equal(alternatives, expression.Alternatives.Count);
        Assert.Equal(terms, expression.Alternatives.Sum(a => a.Count));
    }
}
