using Aggregator.Core.Ingestion;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Aggregator.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Tests;

/// <summary>A feed that failed because of a setting rests for hours; a restart with changed fetching settings polls it again.</summary>
public sealed class SettingsChangeTests
{
    [Fact]
    public async Task A_restart_with_changed_fetching_settings_polls_failing_feeds_at_once_and_an_unchanged_one_does_not()
    {
        await using var server = await LocalServer.StartAsync();
        server.MapContent("/feed", Fixtures.Read("feeds/world.rss.xml"));
        var directory = Path.Combine(Path.GetTempPath(), "aggregator-tests", Guid.NewGuid().ToString("N"));
        var polling = new Dictionary<string, string?> { ["Jobs:RunServer"] = "true", ["Ingestion:FetchArticles"] = "false" };

        // Loopback not allowed yet: the feed is refused and rests.
        long feedId;
        await using (var before = new ApiFactory(new(polling) { ["Fetching:AllowedNetworks:0"] = "192.0.2.0/24" }, directory))
        {
            before.CreateClient();
            feedId = (await before.Services.GetRequiredService<IFeedStore>().AddAsync(new FeedDefinition(server.Url("/feed"), "Local"), true)).Feed.Id;
            var report = await before.Services.GetRequiredService<FeedPoller>().PollAsync(feedId, force: true);
            Assert.Equal(PollOutcome.Failed, report.Outcome);
        }

        // The allow-list now names loopback (ApiFactory's default): the restart polls the resting feed without waiting out its back-off.
        var changed = new CapturedLogs();
        await using (var after = new ApiFactory(polling, directory).WithLogs(changed))
        {
            after.CreateClient();
            Assert.Contains(changed.Messages, m => m.Contains("fetching settings changed since the last start: 1 failing feeds are polled again"));
            var feeds = after.Services.GetRequiredService<IFeedStore>();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await feeds.GetAsync(feedId))!.Health.LastSuccessAt is null && DateTime.UtcNow < deadline) await Task.Delay(100);
            var health = (await feeds.GetAsync(feedId))!.Health;
            Assert.NotNull(health.LastSuccessAt);
            Assert.Equal(0, health.ConsecutiveFailures);

            // It fails again, for a reason of its own.
            server.Map("/feed", context => { context.Response.StatusCode = 500; return Task.CompletedTask; });
            Assert.Equal(PollOutcome.Failed, (await after.Services.GetRequiredService<FeedPoller>().PollAsync(feedId, force: true)).Outcome);
        }

        // The same settings again: the failing feed keeps its back-off.
        var unchanged = new CapturedLogs();
        await using (var again = new ApiFactory(polling, directory).WithLogs(unchanged))
        {
            again.CreateClient();
            Assert.DoesNotContain(unchanged.Messages, m => m.Contains("fetching settings changed"));
        }
    }
}
