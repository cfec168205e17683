using Aggregator.Core.Feeds;
using Aggregator.Core.Model;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Http;
using static Aggregator.Tests.Support.Fixtures;

namespace Aggregator.Tests;

/// <summary>Whatever happens during a poll, the feed's health says so and polling carries on with back-off.</summary>
public sealed class PollSafetyTests
{
    private static Task<Pipeline> CreateAsync() => Pipeline.CreateAsync(new() { ["Ingestion:FetchArticles"] = "false" });

    [Fact]
    public async Task A_poll_records_its_attempt_before_fetching()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await CreateAsync();
        var feed = await pipeline.AddFeedAsync(server.Url("/feed"));
        FeedHealth? seenByTheServer = null;
        server.Map("/feed", async context =>
        {
            seenByTheServer = (await pipeline.Feeds.GetAsync(feed.Id))!.Health;
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync(Rss("World", new Item("g1", "Talks resume", "http://example.org/1", "Envoys met.")));
        });

        await pipeline.PollAsync(feed);

        Assert.NotNull(seenByTheServer!.LastAttemptAt);
        Assert.Contains("has not finished", seenByTheServer.LastError);
        var health = (await pipeline.Feeds.GetAsync(feed.Id))!.Health;
        Assert.Equal((null, 0), (health.LastError, health.ConsecutiveFailures));
        Assert.Equal(health.LastSuccessAt, health.LastAttemptAt);
    }

    [Fact]
    public async Task A_poll_that_never_finishes_is_a_failure_and_the_second_in_a_row_rests_the_feed()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await CreateAsync();
        var feed = await pipeline.AddFeedAsync(server.Url("/feed"));
        var requested = new SemaphoreSlim(0);
        server.Map("/feed", async context =>
        {
            requested.Release();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });

        // The process dies mid-poll: here, the poll is abandoned while the server holds the response back.
        async Task<FeedHealth> InterruptedPollAsync()
        {
            using var abandon = new CancellationTokenSource();
            var poll = pipeline.Poller.PollAsync(feed.Id, force: true, abandon.Token);
            await requested.WaitAsync();
            await abandon.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll);
            return (await pipeline.Feeds.GetAsync(feed.Id))!.Health;
        }

        var first = await InterruptedPollAsync();
        Assert.Equal(1, first.ConsecutiveFailures);
        Assert.Contains("has not finished", first.LastError);
        Assert.Null(first.NotBefore); // once may be the process's own end: polled again when it is back

        var second = await InterruptedPollAsync();
        Assert.Equal(2, second.ConsecutiveFailures);
        Assert.True(second.NotBefore > DateTimeOffset.UtcNow.AddMinutes(feed.IntervalMinutes));
        Assert.False(PollSchedule.IsDue((await pipeline.Feeds.GetAsync(feed.Id))!, DateTimeOffset.UtcNow.AddMinutes(feed.IntervalMinutes)));
    }
}
