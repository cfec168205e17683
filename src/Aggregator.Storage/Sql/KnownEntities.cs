using System.Collections.Concurrent;
using Aggregator.Nlp;

namespace Aggregator.Storage.Sql;

/// <summary>
/// Entity ids and aliases already committed, remembered by this process: a story names a dozen or more entities and
/// most were seen before, so writers skip two statements per entity and one per alias. What a remembered key stands
/// for changes only by an analyst's edit: writers compare the newest edit with <see cref="EditVersion"/> inside each
/// transaction and forget everything when another process edited since (this process's own edits forget at once).
/// </summary>
internal sealed class KnownEntities
{
    /// <summary>Beyond this many entries the memory is cleared and fills again from use.</summary>
    private const int Capacity = 1_000_000;

    private readonly ConcurrentDictionary<(EntityType Type, string Key), KnownEntity> _ids = new();
    private readonly ConcurrentDictionary<(string Alias, long EntityId), byte> _aliases = new(IgnoreCaseKeyComparer<long>.Instance);
    private int _entries;
    private long _editVersion = -1;

    /// <summary>The newest edit this memory has seen; -1 before the first look.</summary>
    public long EditVersion => Interlocked.Read(ref _editVersion);

    public bool TryGetEntity((EntityType Type, string Key) key, out KnownEntity entity) => _ids.TryGetValue(key, out entity);

    public bool HasAlias(string alias, long entityId) => _aliases.ContainsKey((alias, entityId));

    public void AddEntity((EntityType Type, string Key) key, KnownEntity entity) => Remember(_ids, key, entity);

    public void AddAlias(string alias, long entityId) => Remember(_aliases, (alias, entityId), (byte)0);

    /// <summary>Forgets everything remembered before <paramref name="editVersion"/> (an edit may have changed it).</summary>
    public void Forget(long editVersion)
    {
        Clear();
        Interlocked.Exchange(ref _editVersion, editVersion);
    }

    /// <summary>Adds the entry, and clears the memory once it holds too many (counted here: ConcurrentDictionary.Count
    /// locks every bucket, and writers call this for every new entity and alias).</summary>
    private void Remember<TKey, TValue>(ConcurrentDictionary<TKey, TValue> memory, TKey key, TValue value) where TKey : notnull
    {
        if (!memory.TryAdd(key, value) || Interlocked.Increment(ref _entries) <= Capacity) return;
        Clear();
    }

    private void Clear()
    {
        _ids.Clear();
        _aliases.Clear();
        Interlocked.Exchange(ref _entries, 0);
    }
}

/// <summary>The live entity a name stands for, and whether it is ignored (its mentions are then not stored).</summary>
internal readonly record struct KnownEntity(long Id, bool Ignored);
