using Aggregator.Core.Model;
using Aggregator.Nlp;

namespace Aggregator.Core.Stores;

public interface IEntityStore
{
    /// <summary>Entities whose canonical name or an alias equals <paramref name="nameOrAlias"/>, case-insensitive.</summary>
    Task<IReadOnlyList<long>> ResolveAsync(string nameOrAlias, EntityType? type, CancellationToken ct = default);

    /// <summary>Entities by story count (within the date range when one is given).</summary>
    Task<IReadOnlyList<EntitySummary>> ListAsync(EntityQuery query, CancellationToken ct = default);
}
