using Aggregator.Core.Model;

namespace Aggregator.Core.Stores;

public interface IFeedStore
{
    Task<IReadOnlyList<Feed>> ListAsync(CancellationToken ct = default);
    Task<Feed?> GetAsync(long id, CancellationToken ct = default);

    /// <summary>
    /// Adds a feed unless one with the same (normalised) URL exists, and returns the feed with whether it was created.
    /// A deleted feed with that URL comes back only when <paramref name="reviveDeleted"/> is set, so a seed file
    /// never undoes an operator's deletion.
    /// </summary>
    Task<(Feed Feed, bool Created)> AddAsync(FeedDefinition definition, bool reviveDeleted, CancellationToken ct = default);

    Task<Feed?> UpdateAsync(long id, FeedPatch patch, CancellationToken ct = default);

    /// <summary>Stops polling and hides the feed; its stories stay.</summary>
    Task<bool> DeleteAsync(long id, CancellationToken ct = default);

    /// <summary>Claims the feed for one poll until <paramref name="duration"/> from now, so that two workers never poll it at once. False when another holds it.</summary>
    Task<bool> TryLeaseAsync(long id, string owner, TimeSpan duration, CancellationToken ct = default);
    /// <summary>Extends the owner's lease; false when it was lost (expired and taken by another).</summary>
    Task<bool> RenewLeaseAsync(long id, string owner, TimeSpan duration, CancellationToken ct = default);
    Task ReleaseLeaseAsync(long id, string owner, CancellationToken ct = default);
    /// <summary>The feeds leased now, with their owners.</summary>
    Task<IReadOnlyList<(long FeedId, string Owner)>> LeasesAsync(CancellationToken ct = default);

    Task RecordHealthAsync(long id, FeedHealth health, CancellationToken ct = default);
}
