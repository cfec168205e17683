using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aggregator.Core.Stores;
using Aggregator.Tests.Support;
using Hangfire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aggregator.Tests;

/// <summary>Hangfire's dashboard tells polls apart and shows the failed ones as failed.</summary>
public sealed class JobsDashboardTests
{
    [Fact]
    public async Task A_failed_poll_is_a_failed_job_named_after_its_feed_and_only_the_latest_failure_of_a_feed_stays()
    {
        await using var server = await LocalServer.StartAsync();
        server.Map("/feed", context => { context.Response.StatusCode = StatusCodes.Status500InternalServerError; return Task.CompletedTask; });
        var logs = new CapturedLogs();
        await using var factory = new ApiFactory(new() { ["Jobs:RunServer"] = "true", ["Ingestion:FetchArticles"] = "false", ["Fetching:Retries"] = "0" });
        await using var api = factory.WithLogs(logs);
        var client = api.CreateClient();
        var monitoring = api.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var feeds = api.Services.GetRequiredService<IFeedStore>();
        IReadOnlyList<(string Id, string Message)> FailedPollsOf(long feed) =>
            monitoring.FailedJobs(0, 100).Where(j => j.Value.Job?.Args is [long id, ..] && id == feed).Select(j => (j.Key, j.Value.ExceptionMessage)).ToList();

        // Added: polled at once, and it fails.
        var created = await client.PostAsJsonAsync("/api/feeds", new { url = server.Url("/feed"), name = "Broken Wire" });
        var feedId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var first = await UntilAsync(() => FailedPollsOf(feedId) is [var only] ? only : default);
        Assert.Contains("HTTP 500", first.Message);

        // Refreshed, failing again: the new failure replaces the old one.
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/feeds/{feedId}/refresh", null)).StatusCode);
        var second = await UntilAsync(() => FailedPollsOf(feedId) is [var only] && only.Id != first.Id ? only : default);
        Assert.Contains("HTTP 500", second.Message);
        var page = await client.GetStringAsync("/hangfire/jobs/failed");
        Assert.Contains($"Poll Broken Wire (feed {feedId})", WebUtility.HtmlDecode(page));

        // Working again: no failure of this feed is left in the Failed list.
        server.MapContent("/feed", Fixtures.Read("feeds/world.rss.xml"));
        await client.PostAsync($"/api/feeds/{feedId}/refresh", null);
        // The job ends as Succeeded a moment after the poll recorded its success.
        await UntilAsync(async () => (await feeds.GetAsync(feedId))!.Health.LastSuccessAt is not null && FailedPollsOf(feedId).Count == 0
            && monitoring.SucceededJobs(0, 100).Any(j => j.Value.Job?.Args is [long id, ..] && id == feedId));
        // The poller's one line per failure, and nothing from Hangfire with a stack trace.
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning && e.Exception is not null);
    }

    private static async Task<T> UntilAsync<T>(Func<T?> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } value && !EqualityComparer<T>.Default.Equals(value, default)) return value;
            await Task.Delay(100);
        }
        throw new TimeoutException("the condition did not hold within 60 s");
    }

    private static async Task UntilAsync(Func<Task<bool>> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await probe())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the condition did not hold within 60 s");
            await Task.Delay(100);
        }
    }
}
