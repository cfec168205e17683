using System.ComponentModel;
using Aggregator.Core.Ingestion;
using Hangfire;

namespace Aggregator.Api.Jobs;

/// <summary>The Hangfire job: one poll of one feed. Back-off is the poller's, so Hangfire does not retry.</summary>
public sealed class FeedPollJob(FeedPoller poller)
{
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Poll feed {0}")]
    [DisplayName("Poll feed")]
    public Task<IngestionReport> PollAsync(long feedId, bool force, CancellationToken ct) => poller.PollAsync(feedId, force, ct);

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Resume feed {0}")]
    [DisplayName("Resume feed")]
    public Task<IngestionReport> ResumeAsync(long feedId, CancellationToken ct) => poller.ResumeAsync(feedId, ct);
}
