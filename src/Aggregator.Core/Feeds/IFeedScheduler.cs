using Aggregator.Core.Model;

namespace Aggregator.Core.Feeds;

/// <summary>Keeps background polling in step with the feed list (Hangfire in the service).</summary>
public interface IFeedScheduler
{
    void Schedule(Feed feed);
    void Unschedule(long feedId);
    void PollNow(long feedId);
}
