using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aggregator.Core.Feeds;
using Aggregator.Core.Fetching;
using Hangfire;

namespace Aggregator.Api.Jobs;

/// <summary>
/// A changed fetching setting (the allow-list, a proxy, a timeout, a size cap) may be what made feeds fail, and their
/// back-off would keep them resting for up to 6 hours. So a node that polls remembers, in Hangfire's storage (shared by
/// every node), the settings it started with, and when a start finds them changed, the failing feeds are polled again
/// at once. The first start records the settings and wakes nothing.
/// </summary>
public static class FetchingSettingsWatch
{
    private const string Hash = "aggregator:fetching-settings";

    /// <returns>The failing feeds that were queued for a poll (0 when the settings are unchanged).</returns>
    public static async Task<int> PollFailingFeedsIfChangedAsync(JobStorage storage, FetchingOptions settings, FeedService feeds, CancellationToken ct = default)
    {
        var fingerprint = Fingerprint(settings);
        using var connection = storage.GetConnection();
        // One node decides, when several start together.
        using var _ = connection.AcquireDistributedLock(Hash, TimeSpan.FromSeconds(30));
        var known = connection.GetAllEntriesFromHash(Hash)?.GetValueOrDefault("fingerprint");
        if (known == fingerprint) return 0;
        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.SetRangeInHash(Hash, [new("fingerprint", fingerprint)]);
            transaction.Commit();
        }
        return known is null ? 0 : await feeds.PollFailingNowAsync(ct);
    }

    private static string Fingerprint(FetchingOptions settings) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(settings))));
}
