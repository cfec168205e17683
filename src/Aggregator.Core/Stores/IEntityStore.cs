using Aggregator.Core.Model;
using Aggregator.Nlp;

namespace Aggregator.Core.Stores;

public interface IEntityStore
{
    /// <summary>Entities whose canonical name or an alias equals <paramref name="nameOrAlias"/>, case-insensitive.</summary>
    Task<IReadOnlyList<long>> ResolveAsync(string nameOrAlias, EntityType? type, CancellationToken ct = default);

    /// <summary>Entities by story count (within the date range when one is given).</summary>
    Task<IReadOnlyList<EntitySummary>> ListAsync(EntityQuery query, CancellationToken ct = default);

    Task<EntityDetail?> GetAsync(long id, CancellationToken ct = default);

    /// <summary>Mentions and stories per hour or day, published within [from, to); empty buckets included.</summary>
    Task<IReadOnlyList<SeriesPoint>> SeriesAsync(long id, DateTimeOffset from, DateTimeOffset to, SeriesInterval interval, CancellationToken ct = default);

    /// <summary>Entities sharing stories with this one (published within the range), most shared first.</summary>
    Task<IReadOnlyList<Cooccurrence>> CooccurrencesAsync(long id, EntityType? type, DateTimeOffset? from, DateTimeOffset? to, int limit, CancellationToken ct = default);

    /// <summary>Entities rising most in [now - window, now) against the baseline period before it.</summary>
    Task<IReadOnlyList<Trend>> TrendsAsync(DateTimeOffset now, TimeSpan window, TimeSpan baseline, EntityType? type, int limit, CancellationToken ct = default);
}
