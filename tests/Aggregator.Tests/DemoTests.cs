using Aggregator.Cli;
using Aggregator.Cli.Commands;
using Aggregator.Cli.Demo;
using Aggregator.Core.Model;
using Aggregator.Nlp;
using Aggregator.Tests.Support;

namespace Aggregator.Tests;

/// <summary>aggregator demo: the sample site on loopback, ingested through the real pipeline into the service's database.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task Demo_ingests_its_sample_feeds_extracted_and_tagged_and_leaves_them_paused()
    {
        await using var pipeline = await Pipeline.CreateAsync();
        var (ownFeed, _) = await pipeline.Feeds.AddAsync(new FeedDefinition("https://news.example.org/rss", "Mine", Tags: [DemoCommand.Tag]), reviveDeleted: true);

        var output = new StringWriter();
        var code = await DemoCommand.RunAsync(new CliArgs(["--db", pipeline.DatabasePath]), output);

        Assert.True(code == 0, output.ToString());
        var stories = await pipeline.AllStoriesAsync();
        Assert.Equal(DemoContent.Feeds.Sum(f => f.Stories.Length), stories.Count);
        var rotterdam = (await pipeline.Stories.GetAsync(stories.Single(s => s.Title == "Flood defences hold in Rotterdam as storm passes").Id))!;
        Assert.Equal(ExtractionStatus.Extracted, rotterdam.Extraction);
        Assert.Contains("the Maeslant barrier had been shut for eleven hours", rotterdam.Text);
        Assert.DoesNotContain("Subscribe", rotterdam.Text);
        Assert.Contains(rotterdam.Mentions, m => m.Canonical == "Rotterdam" && m.Type == EntityType.Location);
        Assert.Contains(rotterdam.Mentions, m => m.Canonical == "Pieter de Graaf" && m.Type == EntityType.Person);
        Assert.Contains(rotterdam.Mentions, m => m.Canonical == "Rijkswaterstaat" && m.Type == EntityType.Organization);
        var demoFeeds = (await pipeline.Feeds.ListAsync()).Where(DemoCommand.IsDemoFeed).ToList();
        Assert.Equal(["atom", "json-feed", "rss-2.0"], demoFeeds.Select(f => f.Health.Format).Order());
        Assert.All(demoFeeds, f => Assert.False(f.Enabled)); // their server is gone once the command ends
        Assert.All(demoFeeds, f => Assert.NotNull(f.Health.LastSuccessAt));
        Assert.Contains($"{stories.Count} stories", output.ToString());

        // Again: the same stories are found again, the earlier demo feeds give way to this run's, an operator's feed stays.
        Assert.Equal(0, await DemoCommand.RunAsync(new CliArgs(["--db", pipeline.DatabasePath]), new StringWriter()));
        Assert.Equal(stories.Count, (await pipeline.AllStoriesAsync()).Count);
        var feedsAfter = await pipeline.Feeds.ListAsync();
        Assert.Equal(DemoContent.Feeds.Length, feedsAfter.Count(DemoCommand.IsDemoFeed));
        Assert.DoesNotContain(feedsAfter, f => demoFeeds.Any(d => d.Id == f.Id));
        Assert.Contains(feedsAfter, f => f.Id == ownFeed.Id);
    }
}
