using System.Text;
using Aggregator.Core.Model;
using Aggregator.Core.Ingestion;
using Aggregator.Tests.Support;
using static Aggregator.Tests.Support.Fixtures;

namespace Aggregator.Tests;

/// <summary>The whole pipeline against a local HTTP server: fetch, parse, extract, dedup, store.</summary>
public sealed class IngestionTests
{
    [Fact]
    public async Task Second_poll_is_conditional_and_costs_no_parsing_nor_writes()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync();
        server.MapContent("/a1", ArticlePage("Ministers meet in Geneva", "Foreign ministers met in Geneva on Saturday to discuss a ceasefire."), "text/html");
        server.MapContent("/feed", Rss("World", new Item("g1", "Ministers meet", server.Url("/a1"), "Short summary.")), etag: "\"v1\"");
        var feed = await pipeline.AddFeedAsync(server.Url("/feed"));

        var first = await pipeline.PollAsync(feed);
        var second = await pipeline.PollAsync(feed);

        Assert.Equal((PollOutcome.Ingested, 1, 1), (first.Outcome, first.Items, first.Stored));
        Assert.Equal(PollOutcome.NotModified, second.Outcome);
        Assert.Equal(2, server.HitsOn("/feed"));
        Assert.Equal(1, server.HitsOn("/a1"));
        var health = (await pipeline.Feeds.GetAsync(feed.Id))!.Health;
        Assert.Equal(304, health.LastStatus);
        Assert.Equal("\"v1\"", health.ETag);
        Assert.Single(await pipeline.AllStoriesAsync());
    }

    [Fact]
    public async Task Extracts_the_article_page_and_falls_back_to_feed_content_when_the_page_fails()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync();
        server.MapContent("/good", ArticlePage("Flood waters rise", "Flood waters rose across the delta on Friday, forcing thousands of families from their homes."), "text/html");
        server.MapContent("/feed", Rss("World",
            new Item("g1", "Flood waters rise", server.Url("/good?utm_source=rss#top"), "<p>Feed summary one.</p>"),
            new Item("g2", "Page missing", server.Url("/missing"), "<p>The feed&#39;s own <b>summary</b> text.</p>")));
        var feed = await pipeline.AddFeedAsync(server.Url("/feed"));

        var report = await pipeline.PollAsync(feed);

        Assert.Equal(2, report.Stored);
        Assert.Contains(report.Errors, e => e.Contains("/missing") && e.Contains("404"));
        var stories = await pipeline.AllStoriesAsync();
        var good = (await pipeline.Stories.GetAsync(stories.Single(s => s.Title == "Flood waters rise").Id))!;
        var fallback = (await pipeline.Stories.GetAsync(stories.Single(s => s.Title == "Page missing").Id))!;
        Assert.Equal(ExtractionStatus.Extracted, good.Extraction);
        Assert.Contains("forcing thousands of families", good.Text);
        Assert.DoesNotContain("All rights reserved", good.Text);
        Assert.Equal(server.Url("/good"), good.Link);
        Assert.Equal(ExtractionStatus.FeedContent, fallback.Extraction);
        Assert.Equal("The feed's own summary text.", fallback.Text);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero), good.Published);
    }

    [Fact]
    public async Task Each_story_records_which_path_produced_its_text()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync();
        server.MapContent("/structured", Read("pages/structured-body.html"), "text/html");
        server.MapContent("/marked", Read("pages/boilerplate.html").Replace("class=\"story-body\"", "class=\"story-body\" itemprop=\"articleBody\""), "text/html");
        server.MapContent("/bare", Read("pages/bare-text.html"), "text/html");
        // Another story in the same layout (the same text would be the same story, stored once).
        server.MapContent("/block", Read("pages/boilerplate.html").Replace("Harbour bridge", "Harbour tunnel"), "text/html");
        server.MapContent("/feed", Rss("Paths",
            new Item("s", "Structured", server.Url("/structured"), "<p>Summary.</p>"),
            new Item("m", "Marked", server.Url("/marked"), "<p>Summary.</p>"),
            new Item("b", "Bare", server.Url("/bare"), "<p>Summary.</p>"),
            new Item("k", "Block", server.Url("/block"), "<p>Summary.</p>")));

        await pipeline.PollAsync(await pipeline.AddFeedAsync(server.Url("/feed")));

        var paths = new Dictionary<string, ExtractionStatus>();
        foreach (var summary in await pipeline.AllStoriesAsync())
            paths[new Uri(summary.Link!).AbsolutePath] = (await pipeline.Stories.GetAsync(summary.Id))!.Extraction;
        Assert.Equal(ExtractionStatus.StructuredData, paths["/structured"]);
        Assert.Equal(ExtractionStatus.ArticleMarkup, paths["/marked"]);
        Assert.Equal(ExtractionStatus.PageParagraphs, paths["/bare"]);
        Assert.Equal(ExtractionStatus.Extracted, paths["/block"]);
    }

    [Fact]
    public async Task An_item_is_stored_once_within_a_feed_and_across_feeds()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync(new() { ["Ingestion:FetchArticles"] = "false" });
        server.MapContent("/one", Rss("One",
            new Item("a", "Same story", "http://example.org/story?utm_medium=rss", "The text of the same story."),
            new Item("a", "Same story", "http://example.org/story", "The text of the same story."),
            new Item("b", "Other story", "http://example.org/other", "Different words entirely.")));
        server.MapContent("/two", Rss("Two",
            new Item("x-1", "Same story", "http://example.org/story#comments", "The text of the same story."),
            new Item("x-2", "Copied story", "http://mirror.example.net/copy", "Different words entirely."),
            new Item("x-3", "Other story", "http://mirror.example.net/other", "Different words entirely.")));
        var one = await pipeline.AddFeedAsync(server.Url("/one"));
        var two = await pipeline.AddFeedAsync(server.Url("/two"));

        var first = await pipeline.PollAsync(one);
        var second = await pipeline.PollAsync(two);
        var again = await pipeline.PollAsync(one);

        Assert.Equal((2, 1), (first.Stored, first.Duplicates)); // "a" is listed twice
        Assert.Equal((1, 2), (second.Stored, second.Duplicates));
        Assert.Equal((0, 3), (again.Stored, again.Duplicates));
        var stories = await pipeline.AllStoriesAsync();
        Assert.Equal(3, stories.Count);
        var same = stories.Single(s => s.Title == "Same story");
        Assert.Equal([one.Id, two.Id], same.Feeds.Select(f => f.Id).Order());
        var other = stories.Single(s => s.Title == "Other story");
        Assert.Equal([one.Id, two.Id], other.Feeds.Select(f => f.Id).Order()); // same content hash, other link
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_feed_cannot_retitle_another_feeds_story(bool fetchArticles)
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync(new() { ["Ingestion:FetchArticles"] = fetchArticles.ToString() });
        server.MapContent("/budget", ArticlePage("Ministers agree on the budget", "Finance ministers agreed on the budget on Tuesday after a night of talks in the capital."), "text/html");
        server.MapContent("/fake", Rss("Fake", new Item("f1", "Shocking budget scandal", server.Url("/budget?utm_source=x#frag"), "Lies.")));
        server.MapContent("/trusted", Rss("Trusted", new Item("t1", "Ministers agree on the budget", server.Url("/budget"), "The budget is agreed.")));
        var fake = await pipeline.AddFeedAsync(server.Url("/fake"));
        var trusted = await pipeline.AddFeedAsync(server.Url("/trusted"));

        var first = await pipeline.PollAsync(fake);
        var second = await pipeline.PollAsync(trusted);

        Assert.Equal((1, 0, 1), (first.Stored, second.Stored, second.Duplicates));
        var story = Assert.Single(await pipeline.AllStoriesAsync());
        Assert.Equal([fake.Id, trusted.Id], story.Feeds.Select(f => f.Id).Order());
        var listed = (await pipeline.Stories.SearchAsync(new StoryQuery { FeedId = trusted.Id })).Items;
        Assert.Equal("Ministers agree on the budget", Assert.Single(listed).Title);
        Assert.Equal("Shocking budget scandal", Assert.Single((await pipeline.Stories.SearchAsync(new StoryQuery { FeedId = fake.Id })).Items).Title);
        // When the page was read, it decides the story's own title.
        if (fetchArticles) Assert.StartsWith("Ministers agree on the budget", story.Title);
    }

    [Fact]
    public async Task A_malformed_feed_records_an_error_backs_off_and_stores_nothing()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync();
        server.MapContent("/broken", "<rss><channel><item><title>Unclosed</channel>", "application/xml");
        server.MapContent("/html", "<!DOCTYPE html><html><body>Not a feed</body></html>", "text/html");
        var broken = await pipeline.AddFeedAsync(server.Url("/broken"));
        var html = await pipeline.AddFeedAsync(server.Url("/html"));

        var report = await pipeline.PollAsync(broken);
        await pipeline.PollAsync(broken);
        await pipeline.PollAsync(html);

        Assert.Equal(PollOutcome.Failed, report.Outcome);
        var health = (await pipeline.Feeds.GetAsync(broken.Id))!.Health;
        Assert.Equal(2, health.ConsecutiveFailures);
        Assert.Contains("not well-formed", health.LastError);
        Assert.True(health.NotBefore > DateTimeOffset.UtcNow.AddMinutes(25)); // interval 15 min, doubled after the second failure
        Assert.Contains("HTML page", (await pipeline.Feeds.GetAsync(html.Id))!.Health.LastError);
        Assert.Empty(await pipeline.AllStoriesAsync());
    }

    [Fact]
    public async Task Http_failures_are_recorded_per_feed_and_retry_after_is_honoured()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync(new() { ["Ingestion:FetchArticles"] = "false" });
        server.Map("/limited", context =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "7200";
            return Task.CompletedTask;
        });
        server.Map("/error", context => { context.Response.StatusCode = 500; return Task.CompletedTask; });
        server.MapContent("/fine", Rss("Fine", new Item("1", "Fine story", "http://example.org/fine", "Fine text.")));
        var limited = await pipeline.AddFeedAsync(server.Url("/limited"));
        var error = await pipeline.AddFeedAsync(server.Url("/error"));
        var fine = await pipeline.AddFeedAsync(server.Url("/fine"));

        await pipeline.PollAsync(limited);
        await pipeline.PollAsync(error);
        var ok = await pipeline.PollAsync(fine);

        var limitedHealth = (await pipeline.Feeds.GetAsync(limited.Id))!.Health;
        Assert.Equal(429, limitedHealth.LastStatus);
        Assert.True(limitedHealth.NotBefore > DateTimeOffset.UtcNow.AddMinutes(110));
        var errorHealth = (await pipeline.Feeds.GetAsync(error.Id))!.Health;
        Assert.Equal((500, 1), (errorHealth.LastStatus, errorHealth.ConsecutiveFailures));
        Assert.Equal(3, server.HitsOn("/error")); // two retries of a transient 500 within the poll
        Assert.Equal(1, server.HitsOn("/limited")); // 429 is not retried: its Retry-After sets the next poll
        Assert.Equal(1, ok.Stored);
        Assert.False((await pipeline.Poller.PollAsync(limited.Id, force: false)).Outcome == PollOutcome.Ingested);
    }

    [Fact]
    public async Task Undeclared_latin1_and_html_entities_are_read()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync(new() { ["Ingestion:FetchArticles"] = "false" });
        var xml = "  \n<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Caf\u00e9</title>" +
                  "<item><guid>1</guid><title>Caf\u00e9 d&eacute;cor&nbsp;news</title><link>http://example.org/?a=1&b=2</link>" +
                  "<description>Cr\u00e8me br\u00fbl\u00e9e</description></item></channel></rss>";
        server.MapBytes("/latin1", Encoding.Latin1.GetBytes(xml), "application/rss+xml");
        var feed = await pipeline.AddFeedAsync(server.Url("/latin1"));

        var report = await pipeline.PollAsync(feed);

        Assert.Equal(1, report.Stored);
        var story = (await pipeline.Stories.GetAsync((await pipeline.AllStoriesAsync())[0].Id))!;
        Assert.Equal("Caf\u00e9 d\u00e9cor\u00a0news".Replace('\u00a0', ' '), story.Title.Replace('\u00a0', ' '));
        Assert.Equal("Cr\u00e8me br\u00fbl\u00e9e", story.Text);
        Assert.Equal("http://example.org/?a=1&b=2", story.Link);
    }

    /// <summary>Real headlines' short forms, in feed order: each story is resolved against the stories stored before it.</summary>
    private static Item[] ShortFormStories(LocalServer server) =>
    [
        new("p1", "Vladimir Putin meets envoys", server.Url("/p1"), "Russian President Vladimir Putin met envoys in Moscow on Monday."),
        new("p2", "Putin warns the West", server.Url("/p2"), "Putin said on Tuesday that sanctions would fail."),
        new("a1", "Nana Akufo-Addo in Accra", server.Url("/a1"), "Ghana President Nana Akufo-Addo spoke in Accra."),
        new("a2", "Akufo-Addo speaks", server.Url("/a2"), "Akufo-Addo said the economy would grow."),
        new("j1", "Boris Johnson visits Kyiv", server.Url("/j1"), "Former prime minister Boris Johnson arrived in Kyiv."),
        new("j2", "Dwayne Johnson films in Atlanta", server.Url("/j2"), "The actor Dwayne Johnson began filming in Atlanta."),
        new("j3", "Johnson speaks out", server.Url("/j3"), "Johnson said on Friday that he was disappointed."),
    ];

    private static async Task<Dictionary<string, IReadOnlyList<string>>> PeopleByTitleAsync(Pipeline pipeline)
    {
        var people = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var summary in await pipeline.AllStoriesAsync())
            people[summary.Title] = (await pipeline.Stories.GetAsync(summary.Id))!.Mentions
                .Where(m => m.Type == Aggregator.Nlp.EntityType.Person).Select(m => m.Canonical).Distinct().ToList();
        return people;
    }

    [Fact]
    public async Task Surnames_alone_join_the_person_stored_before_and_an_ambiguous_surname_joins_neither()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync(new() { ["Ingestion:FetchArticles"] = "false" });
        server.MapContent("/feed", Rss("World", ShortFormStories(server)));

        await pipeline.PollAsync(await pipeline.AddFeedAsync(server.Url("/feed")));

        var people = await PeopleByTitleAsync(pipeline);
        Assert.Equal(["Vladimir Putin"], people["Putin warns the West"]);
        Assert.Equal(["Nana Akufo-Addo"], people["Akufo-Addo speaks"]);
        Assert.Equal(["Johnson"], people["Johnson speaks out"]); // Boris or Dwayne: neither is chosen for it
        var putin = Assert.Single(await pipeline.Entities.ResolveAsync("Putin", Aggregator.Nlp.EntityType.Person));
        Assert.Equal(2, (await pipeline.Entities.GetAsync(putin))!.Stories);
    }

    [Fact]
    public async Task With_resolution_off_names_join_only_their_exact_spelling()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync(new() { ["Ingestion:FetchArticles"] = "false", ["Entities:Resolve"] = "false" });
        server.MapContent("/feed", Rss("World", ShortFormStories(server)));

        await pipeline.PollAsync(await pipeline.AddFeedAsync(server.Url("/feed")));

        Assert.Equal(["Putin"], (await PeopleByTitleAsync(pipeline))["Putin warns the West"]);
    }

    [Fact]
    public async Task Retag_all_brings_a_surname_stored_before_its_full_name_to_the_full_name()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync(new() { ["Ingestion:FetchArticles"] = "false" });
        server.MapContent("/feed", Rss("World", ShortFormStories(server)[1], ShortFormStories(server)[0]));
        await pipeline.PollAsync(await pipeline.AddFeedAsync(server.Url("/feed")));
        Assert.Equal(["Putin"], (await PeopleByTitleAsync(pipeline))["Putin warns the West"]); // nobody fuller was known yet

        var retagged = await pipeline.Get<Aggregator.Core.Tagging.Retagger>().RetagAsync(all: true);

        Assert.Equal(2, retagged);
        Assert.Equal(["Vladimir Putin"], (await PeopleByTitleAsync(pipeline))["Putin warns the West"]);
        Assert.DoesNotContain("Putin", (await pipeline.Entities.ListAsync(new EntityQuery())).Select(e => e.Name));
    }
}
