using Aggregator.Core.Model;
using Aggregator.Core.Parsing;
using Aggregator.Tests.Support;

namespace Aggregator.Tests;

/// <summary>Feed documents as the open web serves them, and exactly what is stored from each.</summary>
public sealed class UglyFeedTests
{
    private static async Task<(Pipeline Pipeline, List<Story> Stories, Core.Ingestion.IngestionReport Report)> IngestAsync(string file)
    {
        var pipeline = await Pipeline.CreateAsync();
        var feed = await pipeline.AddFeedAsync("https://ugly.example.org/news/feed.xml");
        var parsed = FeedParser.Parse(await File.ReadAllBytesAsync(Fixtures.Path("ugly/" + file)), null, new Uri("https://ugly.example.org/news/feed.xml"));
        var report = await pipeline.Poller.IngestAsync(feed, parsed, fetchArticles: false);
        var stories = new List<Story>();
        foreach (var summary in await pipeline.AllStoriesAsync()) stories.Add((await pipeline.Stories.GetAsync(summary.Id))!);
        return (pipeline, stories, report);
    }

    [Fact]
    public async Task Bad_dates_fall_back_to_the_first_seen_time()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var (pipeline, stories, _) = await IngestAsync("bad-dates.xml");
        await using var _p = pipeline;

        Assert.Equal(5, stories.Count);
        foreach (var title in new[] { "Yesterday dated", "Impossible date", "Far future", "Ancient" })
            Assert.InRange(stories.Single(s => s.Title == title).Published, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 14, 30, 0, TimeSpan.Zero), stories.Single(s => s.Title == "Zone name").Published);
    }

    [Fact]
    public async Task Missing_fields_are_filled_or_the_item_is_refused()
    {
        var (pipeline, stories, report) = await IngestAsync("missing-fields.xml");
        await using var _p = pipeline;

        Assert.Equal(3, stories.Count);
        Assert.Equal("An item with no title but a body that says something.", stories.Single(s => s.Link == "https://ugly.example.org/m1").Title);
        Assert.NotNull(stories.Single(s => s.Title == "No guid, only a link").Link);
        Assert.Null(stories.Single(s => s.Title == "No link, no guid").Link);
        var skipped = Assert.Single(report.Skipped);
        Assert.Equal("m4", skipped.Item);
        Assert.Contains("nothing to store", skipped.Reason);
    }

    [Fact]
    public async Task Html_entities_and_bare_ampersands_become_text()
    {
        var (pipeline, stories, _) = await IngestAsync("html-entities.xml");
        await using var _p = pipeline;

        var story = Assert.Single(stories);
        Assert.Equal("Café owners protest — “enough”…", story.Title.Replace('\u00a0', ' '));
        Assert.Equal("https://ugly.example.org/e1?a=1&b=2", story.Link);
        Assert.Equal("Prices rose & tempers frayed © &unknownentity; AT&T", story.Text);
    }

    [Fact]
    public async Task Cdata_html_is_stored_as_plain_text_without_scripts()
    {
        var (pipeline, stories, _) = await IngestAsync("cdata.xml");
        await using var _p = pipeline;

        var story = Assert.Single(stories);
        Assert.Equal("Markets & banks rally", story.Title);
        Assert.Equal("Shares rose.\n\nBonds & gilts fell.", story.Text);
    }

    [Fact]
    public async Task Relative_links_resolve_against_the_feed_and_unsafe_ones_are_dropped()
    {
        var (pipeline, stories, _) = await IngestAsync("relative-links.xml");
        await using var _p = pipeline;

        Assert.Equal("https://ugly.example.org/news/2026/relative", stories.Single(s => s.Title == "Relative path").Link);
        Assert.Equal("https://ugly.example.org/news/other-story.html", stories.Single(s => s.Title == "Relative file").Link);
        Assert.Null(stories.Single(s => s.Title == "Unsafe scheme").Link);
    }

    [Fact]
    public async Task A_reused_guid_and_a_shared_link_do_not_join_different_items()
    {
        var (pipeline, stories, report) = await IngestAsync("duplicate-guids.xml");
        await using var _p = pipeline;

        // "same" twice with another title and link: two posts. "other" shares a link with the first: a third.
        Assert.Equal(["Different guid same link", "First copy", "Second copy"], stories.Select(s => s.Title).Order());
        Assert.Equal((3, 0), (report.Stored, report.Duplicates));
    }

    [Theory]
    [InlineData("bom-utf8.xml", "Zürich café", "Straße.")]
    [InlineData("bom-utf16.xml", "Kyiv – Київ", "Unicode body.")]
    [InlineData("latin1-undeclared.xml", "Señor Muñoz in Bogotá", "Café crème.")]
    public async Task Encodings_are_detected(string file, string title, string text)
    {
        var (pipeline, stories, _) = await IngestAsync(file);
        await using var _p = pipeline;

        var story = Assert.Single(stories);
        Assert.Equal((title, text), (story.Title, story.Text));
    }
}
