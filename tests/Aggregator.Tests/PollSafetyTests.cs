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
    public async Task A_poll_that_never_finishes_is_a_failure_resumed_once_and_the_second_in_a_row_rests_the_feed()
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
        async Task<FeedHealth> InterruptedAsync(Func<CancellationToken, Task> start)
        {
            using var abandon = new CancellationTokenSource();
            var poll = start(abandon.Token);
            await requested.WaitAsync();
            await abandon.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll);
            return (await pipeline.Feeds.GetAsync(feed.Id))!.Health;
        }

        var first = await InterruptedAsync(ct => pipeline.Poller.PollAsync(feed.Id, force: false, ct));
        Assert.Equal(1, first.ConsecutiveFailures);
        Assert.Contains("has not finished", first.LastError);
        Assert.Null(first.NotBefore); // once may be the process's own end: polled again when it is back

        // The restarted process resumes the feed at once, and this poll too takes the process down.
        var second = await InterruptedAsync(ct => pipeline.Poller.ResumeAsync(feed.Id, ct));
        Assert.Equal(2, second.ConsecutiveFailures);
        Assert.True(second.NotBefore > DateTimeOffset.UtcNow.AddMinutes(feed.IntervalMinutes));
        Assert.False(PollSchedule.IsDue((await pipeline.Feeds.GetAsync(feed.Id))!, DateTimeOffset.UtcNow.AddMinutes(feed.IntervalMinutes)));
        Assert.Equal(Aggregator.Core.Ingestion.PollOutcome.Skipped, (await pipeline.Poller.ResumeAsync(feed.Id)).Outcome); // no crash loop
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.org/feed")]
    [InlineData("http://[::1")]
    public async Task A_redirect_to_something_not_http_ends_as_the_feeds_error(string location)
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await CreateAsync();
        server.Map("/feed", context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = location;
            return Task.CompletedTask;
        });
        var feed = await pipeline.AddFeedAsync(server.Url("/feed"));

        var report = await pipeline.PollAsync(feed);

        Assert.Equal(Aggregator.Core.Ingestion.PollOutcome.Failed, report.Outcome);
        var health = (await pipeline.Feeds.GetAsync(feed.Id))!.Health;
        Assert.Equal(1, health.ConsecutiveFailures);
        Assert.Contains("redirect", health.LastError);
        Assert.True(health.NotBefore > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_feed_declaring_an_unsupported_encoding_is_read_as_utf8()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await CreateAsync();
        var xml = Rss("World", new Item("g1", "Talks resume in Doha", "http://example.org/1", "Envoys met.")).Replace("utf-8", "utf-7");
        server.MapBytes("/utf7", System.Text.Encoding.UTF8.GetBytes(xml), "application/rss+xml");
        server.MapBytes("/broken", System.Text.Encoding.UTF8.GetBytes(xml[..^20]), "application/rss+xml; charset=x-no-such-charset");

        var read = await pipeline.PollAsync(await pipeline.AddFeedAsync(server.Url("/utf7")));
        var broken = await pipeline.PollAsync(await pipeline.AddFeedAsync(server.Url("/broken")));

        Assert.Equal(1, read.Stored);
        Assert.Equal("Talks resume in Doha", (await pipeline.AllStoriesAsync()).Single().Title);
        Assert.Equal(Aggregator.Core.Ingestion.PollOutcome.Failed, broken.Outcome);
        Assert.Contains("'x-no-such-charset', which is not supported", broken.Errors.Single());
    }
}
