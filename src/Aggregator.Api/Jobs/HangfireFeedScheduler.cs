using Aggregator.Core.Feeds;
using Aggregator.Core.Model;
using Hangfire;

namespace Aggregator.Api.Jobs;

/// <summary>One Hangfire recurring job per feed ("feed-{id}"), on a cron derived from its interval.</summary>
public sealed class HangfireFeedScheduler(IRecurringJobManager recurring, IBackgroundJobClient jobs) : IFeedScheduler
{
    public static string JobId(long feedId) => $"feed-{feedId}";

    public void Schedule(Feed feed)
    {
        if (!feed.Enabled)
        {
            Unschedule(feed.Id);
            return;
        }
        recurring.AddOrUpdate<FeedPollJob>(JobId(feed.Id), job => job.PollAsync(feed.Id, false, CancellationToken.None),
            PollSchedule.Cron(feed.IntervalMinutes), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
    }

    public void Unschedule(long feedId) => recurring.RemoveIfExists(JobId(feedId));

    public void PollNow(long feedId) => jobs.Enqueue<FeedPollJob>(job => job.PollAsync(feedId, true, CancellationToken.None));

    public void PollIfDue(long feedId) => jobs.Enqueue<FeedPollJob>(job => job.PollAsync(feedId, false, CancellationToken.None));

    public void ScheduleInBackground(IReadOnlyList<long> feedIds) =>
        jobs.Enqueue<FeedScheduleJob>(job => job.ScheduleAsync(feedIds.ToArray(), CancellationToken.None));

    public void Resume(long feedId) => jobs.Enqueue<FeedPollJob>(job => job.ResumeAsync(feedId, CancellationToken.None));
}
