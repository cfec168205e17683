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
    private const int Capacity = 1_000_000;

    private readonly ConcurrentDictionary<(string Name, EntityType Type), long> _ids = new(IgnoreCaseKeyComparer<EntityType>.Instance);
    private readonly ConcurrentDictionary<(string Alias, long EntityId), byte> _aliases = new(IgnoreCaseKeyComparer<long>.Instance);
    private int _entries;

    public bool TryGetEntity((string Name, EntityType Type) key, out long id) => _ids.TryGetValue(key, out id);

    public bool HasAlias(string alias, long entityId) => _aliases.ContainsKey((alias, entityId));

    public void AddEntity((string Name, EntityType Type) key, long id) => Remember(_ids, key, id);

    public void AddAlias(string alias, long entityId) => Remember(_aliases, (alias, entityId), (byte)0);

    /// <summary>Adds the entry, and clears the memory once it holds too many (counted here: ConcurrentDictionary.Count
    /// locks every bucket, and writers call this for every new entity and alias).</summary>
    private void Remember<TKey, TValue>(ConcurrentDictionary<TKey, TValue> memory, TKey key, TValue value) where TKey : notnull
    {
        if (!memory.TryAdd(key, value) || Interlocked.Increment(ref _entries) <= Capacity) return;
        _ids.Clear();
        _aliases.Clear();
        Interlocked.Exchange(ref _entries, 0);
    }
}
