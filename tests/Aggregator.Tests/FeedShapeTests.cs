using Aggregator.Core.Ingestion;
using Aggregator.Core.Model;
using Aggregator.Core.Parsing;
using Aggregator.Tests.Support;

namespace Aggregator.Tests;

/// <summary>
/// Documents in each shape real feeds send (fixtures/shapes), and exactly what is stored from each: every item of
/// the document is stored once, found already stored, or reported as skipped with the reason.
/// </summary>
public sealed class FeedShapeTests
{
    private static async Task<(Pipeline Pipeline, List<Story> Stories, IngestionReport Report)> IngestAsync(string file, Pipeline? into = null, string url = "https://shapes.example.org/feed")
    {
        var pipeline = into ?? await Pipeline.CreateAsync();
        var feed = await pipeline.AddFeedAsync(url);
        var parsed = FeedParser.Parse(await File.ReadAllBytesAsync(Fixtures.Path("shapes/" + file)), null, new Uri(url));
        var report = await pipeline.Poller.IngestAsync(feed, parsed, fetchArticles: false);
        var stories = new List<Story>();
        foreach (var summary in await pipeline.AllStoriesAsync()) stories.Add((await pipeline.Stories.GetAsync(summary.Id))!);
        Assert.Equal(report.Items, report.Stored + report.Duplicates + report.Deferred + report.Skipped.Count);
        return (pipeline, stories, report);
    }

    [Fact]
    public async Task Posts_that_differ_only_by_fragment_are_each_stored_with_their_fragment()
    {
        var (pipeline, stories, report) = await IngestAsync("fragments.rss.xml");
        await using var _ = pipeline;

        Assert.Equal((4, 4, 0), (report.Items, report.Stored, report.Duplicates));
        Assert.Equal(
            ["https://notes.example.org/2026/11/19.html", "https://notes.example.org/2026/11/20.html#a1",
             "https://notes.example.org/2026/11/20.html#a2", "https://notes.example.org/2026/11/20.html#a3"],
            stories.Select(s => s.Link).Order());
    }

    [Fact]
    public async Task Podcast_episodes_sharing_the_show_page_are_each_stored_with_their_itunes_title_and_summary()
    {
        var (pipeline, stories, report) = await IngestAsync("podcast.rss.xml");
        await using var _ = pipeline;

        Assert.Equal((4, 4), (report.Items, report.Stored));
        var episode104 = stories.Single(s => s.Title == "Episode 104: Tides and trade");
        Assert.Equal(("https://podcast.example.org/", "How the tides set the market's hours."), (episode104.Link, episode104.Text));
        Assert.Equal("Mending season.", stories.Single(s => s.Title == "Episode 102: Nets & knots").Text);
        // Its only link is its permalink GUID.
        Assert.Equal("https://podcast.example.org/episodes/101", stories.Single(s => s.Title == "Episode 101: The first show").Link);

        // The show's page is no episode's link: another feed's item there is a story of its own.
        var linkingHome = FeedParser.Parse(System.Text.Encoding.UTF8.GetBytes(Fixtures.Rss("Other",
            new Fixtures.Item("o1", "The show's home page reviewed", "https://podcast.example.org/", "A review of the show."))), null, null);
        var reviewer = await pipeline.AddFeedAsync("https://reviews.example.org/feed");
        var reviewed = await pipeline.Poller.IngestAsync(reviewer, linkingHome, fetchArticles: false);
        Assert.Equal((1, 0), (reviewed.Stored, reviewed.Duplicates));
        Assert.Equal(5, (await pipeline.AllStoriesAsync()).Count);
    }

    [Theory]
    [InlineData("rss-without-channel.xml", "rss-0.91", new[] { "First bare item", "Second bare item" })]
    [InlineData("rss-namespaced.xml", "rss-2.0", new[] { "Prefixed item one", "Prefixed item two" })]
    [InlineData("rdf-without-rss-namespace.xml", "rss-1.0", new[] { "RDF item A", "RDF item B", "RDF item C" })]
    public void Rss_without_a_channel_in_a_namespace_and_rdf_without_the_rss_namespace_are_read(string file, string format, string[] titles)
    {
        var feed = FeedParser.Parse(File.ReadAllBytes(Fixtures.Path("shapes/" + file)), null, new Uri("https://shapes.example.org/feed"));

        Assert.Equal(format, feed.Format);
        Assert.Equal(titles, feed.Items.Select(i => i.Title));
        Assert.All(feed.Items, i => Assert.StartsWith("https://", i.Link));
    }

    [Fact]
    public void Dublin_core_dates_and_rdf_about_links_are_used()
    {
        var prefixed = FeedParser.Parse(File.ReadAllBytes(Fixtures.Path("shapes/rss-namespaced.xml")), null, null);
        var rdf = FeedParser.Parse(File.ReadAllBytes(Fixtures.Path("shapes/rdf-without-rss-namespace.xml")), null, null);

        Assert.Equal(new DateTimeOffset(2026, 11, 21, 7, 30, 0, TimeSpan.Zero), prefixed.Items[0].Published);
        Assert.Equal(("https://rdf.example.org/b", "https://rdf.example.org/b"), (rdf.Items[1].Link, rdf.Items[1].Guid));
        Assert.Null(rdf.Items[2].Published);
    }

    [Fact]
    public async Task Atom_text_is_text_and_only_html_and_xhtml_are_markup()
    {
        var (pipeline, stories, report) = await IngestAsync("atom-text-types.xml");
        await using var _ = pipeline;

        Assert.Equal(3, report.Stored);
        var text = stories.Single(s => s.Link == "https://code.example.org/blog/posts/vector");
        Assert.Equal(("Why vector<int> beats list<T>", "Because a < b when the cache is warm."), (text.Title, text.Text));
        var html = stories.Single(s => s.Link == "https://code.example.org/blog/posts/templates");
        Assert.Equal(("Templates & you", "Angle brackets <T> everywhere."), (html.Title, html.Text));
        var xhtml = stories.Single(s => s.Link == "https://code.example.org/blog/posts/xhtml");
        Assert.Equal(("Inline XHTML title", "First paragraph.\n\nSecond & last."), (xhtml.Title, xhtml.Text));
    }

    [Fact]
    public async Task Empty_entries_are_reported_as_skipped_not_as_duplicates()
    {
        var (pipeline, stories, report) = await IngestAsync("empty-entries.rss.xml");
        await using var _ = pipeline;

        Assert.Equal("The one real item", Assert.Single(stories).Title);
        Assert.Equal((4, 1, 0), (report.Items, report.Stored, report.Duplicates));
        Assert.Equal(3, report.Skipped.Count);
        Assert.All(report.Skipped, s => Assert.Contains("no title, link or text", s.Reason));
    }

    [Theory]
    [InlineData("truncated.rss.xml", new[] { "Complete one", "Complete two" })]
    [InlineData("json-feed-truncated.json", new[] { "Whole item one", "Whole item two" })]
    public async Task A_document_that_breaks_off_keeps_the_complete_items_before_the_break(string file, string[] titles)
    {
        var (pipeline, stories, report) = await IngestAsync(file);
        await using var _ = pipeline;

        Assert.Equal(titles, stories.Select(s => s.Title).Order());
        Assert.Equal((2, 2), (report.Items, report.Stored));
        Assert.Contains(report.Errors, e => e.Contains("breaks off") && e.Contains("2 complete items"));
        Assert.True(report.FetchAgainInFull);
    }

    [Fact]
    public async Task Json_feed_items_without_an_id_are_known_by_their_url_or_what_they_say()
    {
        var (pipeline, stories, report) = await IngestAsync("json-feed-without-ids.json");
        await using var _ = pipeline;
        var again = await pipeline.Poller.IngestAsync((await pipeline.Feeds.ListAsync())[0],
            FeedParser.Parse(await File.ReadAllBytesAsync(Fixtures.Path("shapes/json-feed-without-ids.json")), null, null), fetchArticles: false);

        Assert.Equal((5, 5), (report.Items, report.Stored));
        Assert.Equal((0, 5), (again.Stored, again.Duplicates));
        Assert.Equal("Found by its url.", stories.Single(s => s.Link == "https://json.example.org/2").Text);
        Assert.Equal("Known by what it says.", stories.Single(s => s.Title == "Neither id nor url").Text);
    }

    [Theory]
    [InlineData("<rss version=\"2.0\"><channel><item><title>x</title>", "no item was complete")]
    [InlineData("{\"title\": \"not a feed\"}", "not a feed")]
    [InlineData("{\"items\": [ {\"title\": ", "not valid JSON")]
    [InlineData("<catalog><book/></catalog>", "root is <catalog>")]
    public void Documents_that_cannot_be_read_say_why_in_words(string document, string reason)
    {
        var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse(System.Text.Encoding.UTF8.GetBytes(document), null, null));
        Assert.Contains(reason, error.Message);
        Assert.DoesNotContain("Object reference", error.Message);
    }
}
