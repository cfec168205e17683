using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aggregator.Core.Feeds;
using Aggregator.Core.Parsing;
using Aggregator.Tests.Support;

namespace Aggregator.Tests;

/// <summary>Documents whose cost grows faster than their size: refused by shape, before any tree is built of them.</summary>
public sealed class ParseLimitTests
{
    private static ParsedFeed Parse(string xml, ParseLimits? limits = null) => FeedParser.Parse(Encoding.UTF8.GetBytes(xml), null, null, limits);

    private static string Feed(string itemBody) =>
        $"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><guid>1</guid><title>One</title>{itemBody}</item></channel></rss>""";

    private static string Repeat(string text, int times) => new StringBuilder(text.Length * times).Insert(0, text, times).ToString();

    [Fact]
    public void A_doctype_inside_cdata_is_text_and_stays()
    {
        var item = Assert.Single(Parse(Feed("<description><![CDATA[Start pages with <!DOCTYPE html> or <!DOCTYPE x [ ]>, then <html>.]]></description>")).Items);

        Assert.Equal("Start pages with <!DOCTYPE html> or <!DOCTYPE x [ ]>, then <html>.", item.Summary);
    }

    [Fact]
    public void A_doctype_whose_subset_quotes_brackets_and_comments_is_removed_whole()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE rss PUBLIC "-//x>//EN" "x.dtd" [
              <!ENTITY a "]>">
              <!-- a comment with ] and > in it -->
              <!ENTITY b '>]'>
            ]>
            <rss version="2.0"><channel><title>T</title><item><guid>1</guid><title>&a;&b; kept as text</title></item></channel></rss>
            """;

        Assert.Equal("&a;&b; kept as text", Assert.Single(Parse(xml).Items).Title);
    }

    [Theory]
    [InlineData("<!DOCTYPE [")]   // each opens an internal subset that never closes
    [InlineData("<![CDATA[")]     // each opens a section that never closes
    [InlineData("<!DOCTYPE a \"")]
    public void Unclosed_declarations_repeated_20000_times_break_the_document_off_not_the_poll(string repeated)
    {
        var feed = Parse(Feed("") + Repeat(repeated, 20_000));

        // The complete item before the break is kept, as for any document that breaks off; the break is reported.
        Assert.Equal("One", Assert.Single(feed.Items).Title);
        Assert.Contains("breaks off", feed.Warning);
        Assert.Throws<FeedParseException>(() => Parse(Feed("").Replace("</item>", "") + Repeat(repeated, 20_000)));
    }

    [Fact]
    public void Elements_nested_deeper_than_64_are_refused_before_a_tree_is_built()
    {
        var error = Assert.Throws<FeedParseException>(() => Parse(Feed("<description>" + Repeat("<a>", 100) + Repeat("</a>", 100) + "</description>")));

        Assert.Contains("more than 64 deep", error.Message);
    }

    [Fact]
    public void An_element_with_more_than_64_attributes_is_refused()
    {
        var attributes = string.Concat(Enumerable.Range(0, 100).Select(i => $" a{i}=\"x\""));

        var error = Assert.Throws<FeedParseException>(() => Parse(Feed($"<description{attributes}>text</description>")));

        Assert.Contains("has more than 64 attributes", error.Message);
    }

    [Fact]
    public void Ordinary_feeds_are_within_the_limits()
    {
        var xhtml = """<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>One <b>two <i>three</i></b></p></div></content>""";
        var atom = $"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><id>1</id><title>One</title>{xhtml}</entry></feed>""";

        Assert.Single(Parse(atom).Items);
        Assert.Single(Parse(Fixtures.Read("feeds/world.rss.xml")).Items.Take(1));
    }

    [Fact]
    public void A_parse_over_its_time_budget_fails_saying_so()
    {
        var error = Assert.Throws<FeedParseException>(() => Parse(Fixtures.Read("feeds/world.rss.xml"), ParseLimits.Default with { Budget = TimeSpan.Zero }));

        Assert.Contains("took more than 0 s", error.Message);
    }

    [Fact]
    public void An_opml_list_nested_deeper_than_64_is_refused()
    {
        var opml = "<opml version=\"2.0\"><body>" + Repeat("<outline text=\"x\">", 1_000) + "<outline xmlUrl=\"https://deep.example.org/rss\"/>"
            + Repeat("</outline>", 1_000) + "</body></opml>";

        var error = Assert.Throws<InvalidDataException>(() => Opml.Read(new MemoryStream(Encoding.UTF8.GetBytes(opml))));

        Assert.Contains("more than 64 deep", error.Message);
    }

    [Fact]
    public async Task The_api_answers_a_too_deep_opml_list_with_400()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        var opml = "<opml version=\"2.0\"><body>" + Repeat("<outline text=\"x\">", 1_000) + Repeat("</outline>", 1_000) + "</body></opml>";

        var response = await client.PostAsync("/api/feeds/opml", new StringContent(opml, Encoding.UTF8, "text/x-opml"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("more than 64 deep", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}
