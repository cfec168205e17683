using Aggregator.Core.Ingestion;
using Aggregator.Core.Stores;
using Hangfire;
using Hangfire.Common;
using Hangfire.Dashboard;
using Hangfire.States;
using Hangfire.Storage;

namespace Aggregator.Api.Jobs;

/// <summary>
/// The Hangfire job: one poll of one feed. Back-off is the poller's, so Hangfire does not retry. A poll that failed
/// ends as a Failed job (the feed's error its message) and stays there until the feed's next poll ends, which deletes
/// it: the Failed list holds the latest failure of each failing feed, and no more.
/// </summary>
public sealed class FeedPollJob(FeedPoller poller, JobStorage storage, IBackgroundJobClient jobs)
{
    /// <summary>Hangfire hash of one feed, whose "job" is the id of the feed's latest failed poll.</summary>
    internal static string FailedPoll(long feedId) => $"aggregator:failed-poll:{feedId}";

    [AutomaticRetry(Attempts = 0, LogEvents = false)] // the poller logged the failure already, in one line
    [FeedPollJobName]
    [RemembersFailedPoll]
    public Task<IngestionReport> PollAsync(long feedId, bool force, CancellationToken ct) =>
        EndAsync(feedId, poller.PollAsync(feedId, force, ct));

    /// <summary>The poll of a feed whose last poll died with its process.</summary>
    [AutomaticRetry(Attempts = 0, LogEvents = false)]
    [FeedPollJobName]
    [RemembersFailedPoll]
    public Task<IngestionReport> ResumeAsync(long feedId, CancellationToken ct) =>
        EndAsync(feedId, poller.ResumeAsync(feedId, ct));

    /// <summary>Deletes the feed's earlier failed poll job, and fails this one when the poll failed.</summary>
    private async Task<IngestionReport> EndAsync(long feedId, Task<IngestionReport> poll)
    {
        var report = await poll;
        if (report.Outcome == PollOutcome.Skipped) return report;
        using (var connection = storage.GetConnection())
        {
            if (connection.GetAllEntriesFromHash(FailedPoll(feedId))?.GetValueOrDefault("job") is { } earlier)
                jobs.Delete(earlier, FailedState.StateName); // nothing happens when it is no longer failed (requeued, deleted)
        }
        if (report.Outcome == PollOutcome.Failed) throw new FeedPollFailedException(string.Join("; ", report.Errors));
        return report;
    }
}

/// <summary>A poll that failed; its message is the feed's error, which the Hangfire dashboard shows.</summary>
public sealed class FeedPollFailedException(string message) : Exception(message);

/// <summary>Records a poll job that failed as its feed's latest failed poll, for the next poll of that feed to delete.</summary>
internal sealed class RemembersFailedPollAttribute : JobFilterAttribute, IApplyStateFilter
{
    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (context.NewState is FailedState && context.BackgroundJob.Job?.Args is [long feedId, ..])
            transaction.SetRangeInHash(FeedPollJob.FailedPoll(feedId), [new("job", context.BackgroundJob.Id)]);
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction) { }
}

/// <summary>"Poll BBC News - World (feed 17)": the feed's current name, looked up as the dashboard shows the job.</summary>
internal sealed class FeedPollJobNameAttribute() : JobDisplayNameAttribute("Poll feed {0}")
{
    public override string Format(DashboardContext context, Job job)
    {
        if (job.Args is not [long feedId, ..]) return base.Format(context, job);
        // The dashboard renders synchronously; this is one primary-key read per job shown.
        var feed = context.GetHttpContext().RequestServices.GetRequiredService<IFeedStore>().GetAsync(feedId).GetAwaiter().GetResult();
        return feed is null ? $"Poll feed {feedId} (deleted)" : $"Poll {feed.Name} (feed {feedId})";
    }
}
