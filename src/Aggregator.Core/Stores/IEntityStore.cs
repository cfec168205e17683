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

    /// <summary>
    /// The live entities that resolution looks names up in: those with an id above <paramref name="afterId"/> that were
    /// seen since <paramref name="seenSince"/> or in more than one story, with their aliases.
    /// </summary>
    Task<EntityDirectoryLoad> DirectoryAsync(DateTimeOffset seenSince, long afterId, CancellationToken ct = default);

    /// <summary>The newest edit and entity, for processes that keep entities in memory to see what changed.</summary>
    Task<EntityChanges> ChangesAsync(CancellationToken ct = default);

    /// <summary>
    /// Moves the entity (aliases, mentions, counts, hourly counts) into <paramref name="into"/>; its id then answers for
    /// the target.
    /// </summary>
    /// <exception cref="KeyNotFoundException">Either entity does not exist.</exception>
    /// <exception cref="ArgumentException">The entity is the target itself.</exception>
    /// <exception cref="EntityEditConflictException">The entity was already merged.</exception>
    Task<EntityEdit> MergeAsync(long id, long into, string actor, CancellationToken ct = default);

    /// <summary>Renames, retypes or (un)ignores the entity; its old name stays an alias.</summary>
    /// <exception cref="KeyNotFoundException">The entity does not exist.</exception>
    /// <exception cref="ArgumentException">The patch is empty or its name unusable.</exception>
    /// <exception cref="EntityEditConflictException">The entity was merged, or another entity has that name and type.</exception>
    Task<EntityEdit> UpdateAsync(long id, EntityPatch patch, string actor, CancellationToken ct = default);

    /// <summary>Makes one alias of the entity an entity of its own again, with the mentions written that way.</summary>
    /// <exception cref="KeyNotFoundException">The entity does not exist.</exception>
    /// <exception cref="ArgumentException">The entity has no such alias, or it is the entity's own name.</exception>
    /// <exception cref="EntityEditConflictException">The entity was merged, or another entity has that name and type.</exception>
    Task<EntityEdit> SplitAsync(long id, string alias, string actor, CancellationToken ct = default);

    /// <summary>The edit log, newest first; only the edits of one entity (as either side) when given.</summary>
    Task<IReadOnlyList<EntityEdit>> EditsAsync(long? entityId, int limit, CancellationToken ct = default);

    /// <summary>Puts things back as they were before the edit, counts included.</summary>
    /// <exception cref="KeyNotFoundException">There is no such edit.</exception>
    /// <exception cref="EntityEditConflictException">It was undone already, a later edit of the same entities is still in force, or its old name is taken.</exception>
    Task<EntityEdit> UndoAsync(long editId, string actor, CancellationToken ct = default);

    /// <summary>Entities rising most in [now - window, now) against the baseline period before it.</summary>
    Task<IReadOnlyList<Trend>> TrendsAsync(DateTimeOffset now, TimeSpan window, TimeSpan baseline, EntityType? type, int limit, CancellationToken ct = default);
}
