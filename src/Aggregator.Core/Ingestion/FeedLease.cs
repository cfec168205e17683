using Aggregator.Core.Stores;

namespace Aggregator.Core.Ingestion;

/// <summary>
/// One worker's claim on one feed for the length of a poll. It is short and renewed while the poll runs, so a
/// worker that dies (killed, crashed) blocks its feed only until the lease runs out, not for a whole poll's budget.
/// </summary>
public sealed class FeedLease : IAsyncDisposable
{
    private readonly IFeedStore _feeds;
    private readonly long _feedId;
    private readonly string _owner = LeaseOwner.New();
    private readonly CancellationTokenSource _stop = new();
    private Task _renewal = Task.CompletedTask;

    private FeedLease(IFeedStore feeds, long feedId)
    {
        _feeds = feeds;
        _feedId = feedId;
    }

    /// <returns>The lease, or null when another worker holds the feed.</returns>
    public static async Task<FeedLease?> TryAcquireAsync(IFeedStore feeds, long feedId, TimeSpan duration, CancellationToken ct)
    {
        var lease = new FeedLease(feeds, feedId);
        if (!await feeds.TryLeaseAsync(feedId, lease._owner, duration, ct)) return null;
        lease._renewal = lease.RenewAsync(duration);
        return lease;
    }

    private async Task RenewAsync(TimeSpan duration)
    {
        using var timer = new PeriodicTimer(duration / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
                await _feeds.RenewLeaseAsync(_feedId, _owner, duration, _stop.Token);
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewal;
        _stop.Dispose();
        await _feeds.ReleaseLeaseAsync(_feedId, _owner, CancellationToken.None);
    }
}
