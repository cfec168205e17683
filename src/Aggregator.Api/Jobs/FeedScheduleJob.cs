using System.ComponentModel;
using Aggregator.Core.Feeds;
using Hangfire;

namespace Aggregator.Api.Jobs;

/// <summary>Schedules the feeds an import added, off the request: each costs the job storage tens of milliseconds.</summary>
public sealed class FeedScheduleJob(FeedService feeds)
{
    [AutomaticRetry(Attempts = 3)]
    [DisplayName("Schedule imported feeds")]
    public Task ScheduleAsync(long[] feedIds, CancellationToken ct) => feeds.ScheduleAsync(feedIds, ct);
}
