using System.Collections.Concurrent;
using Aggregator.Nlp;

namespace Aggregator.Storage.Sql;

/// <summary>
/// Entity ids and aliases already committed, remembered by this process: a story names a dozen or more entities and
/// most were seen before, so writers skip two statements per entity and one per alias. Entities are never deleted,
/// so a remembered id stays right; only what a transaction committed is added.
/// </summary>
internal sealed class KnownEntities
{
    /// <summary>Beyond this many entries the memory is cleared and fills again from use.</summary>
    private const int Capacity = 500_000;

    private readonly ConcurrentDictionary<(string Name, EntityType Type), long> _ids = new(EntityKeyComparer.Instance);
    private readonly ConcurrentDictionary<(string Alias, long EntityId), byte> _aliases = new(AliasKeyComparer.Instance);

    public bool TryGetEntity((string Name, EntityType Type) key, out long id) => _ids.TryGetValue(key, out id);

    public bool HasAlias(string alias, long entityId) => _aliases.ContainsKey((alias, entityId));

    public void AddEntity((string Name, EntityType Type) key, long id)
    {
        if (_ids.Count >= Capacity) _ids.Clear();
        _ids.TryAdd(key, id);
    }

    public void AddAlias(string alias, long entityId)
    {
        if (_aliases.Count >= Capacity) _aliases.Clear();
        _aliases.TryAdd((alias, entityId), 0);
    }
}
