using Aggregator.Core.Model;

namespace Aggregator.Core.Feeds;

/// <summary>Keeps background polling in step with the feed list (Hangfire in the service).</summary>
public interface IFeedScheduler
{
    void Schedule(Feed feed);
    void Unschedule(long feedId);
    /// <summary>Polls now, even a disabled or resting feed (an operator's refresh).</summary>
    void PollNow(long feedId);
    /// <summary>Polls soon if the feed is still due then (new feeds, and catching up after downtime).</summary>
    void PollIfDue(long feedId);
    /// <summary>Polls soon a feed whose last poll died with its process (see <see cref="Ingestion.FeedPoller.ResumeAsync"/>).</summary>
    void Resume(long feedId);
    /// <summary>Schedules many feeds from a background job (see <see cref="FeedService.ScheduleAsync"/>).</summary>
    void ScheduleInBackground(IReadOnlyList<long> feedIds);
}
