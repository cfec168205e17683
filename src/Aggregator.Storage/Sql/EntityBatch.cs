using System.Data.Common;
using Aggregator.Core.Model;
using Aggregator.Nlp;
using Dapper;

namespace Aggregator.Storage.Sql;

/// <summary>
/// Writes the mentions of the stories of one transaction: entities are created on first sight with their aliases, each
/// story gets its per-entity row and its mention rows, and the entity counters are added once per entity at the end,
/// so a batch of stories costs one counter update per entity instead of one per story.
/// </summary>
internal sealed class EntityBatch(SqlDatabase database, DbConnection connection, DbTransaction transaction)
{
    private readonly Dictionary<(string Name, EntityType Type), long> _ids = new(EntityKeyComparer.Instance);
    private readonly HashSet<(string Alias, long EntityId)> _aliases = new();
    private readonly Dictionary<long, (long Mentions, long Stories)> _counts = new();

    /// <summary>The ids of the mentions' entities, creating those seen for the first time.</summary>
    public async Task<IReadOnlyList<long>> ResolveAsync(IReadOnlyList<StoryMention> mentions)
    {
        var ids = new List<long>();
        foreach (var key in mentions.Select(m => (Name: m.Canonical, m.Type)).Distinct(EntityKeyComparer.Instance))
            ids.Add(await IdOfAsync(key));
        return ids;
    }

    public async Task AddMentionsAsync(long storyId, IReadOnlyList<StoryMention> mentions)
    {
        foreach (var group in mentions.GroupBy(m => (Name: m.Canonical, m.Type), EntityKeyComparer.Instance))
        {
            var entityId = await IdOfAsync(group.Key);
            foreach (var alias in group.Select(m => m.Text).Append(group.Key.Name).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (_aliases.Add((alias.ToLowerInvariant(), entityId)))
                    await connection.ExecuteAsync("INSERT INTO entity_aliases (alias, entity_id) VALUES (@alias, @entityId) ON CONFLICT DO NOTHING", new { alias, entityId }, transaction);
            }
            var count = group.Count();
            await connection.ExecuteAsync("INSERT INTO story_entities (entity_id, story_id, mentions) VALUES (@entityId, @storyId, @count)",
                new { entityId, storyId, count }, transaction);
            var (m, s) = _counts.GetValueOrDefault(entityId);
            _counts[entityId] = (m + count, s + 1);
            foreach (var mention in group)
            {
                await connection.ExecuteAsync("""
                    INSERT INTO mentions (story_id, field, start, "end", entity_id, text) VALUES (@storyId, @field, @Start, @End, @entityId, @Text)
                    ON CONFLICT DO NOTHING
                    """, new { storyId, field = (int)mention.Field, mention.Start, mention.End, entityId, mention.Text }, transaction);
            }
        }
    }

    /// <summary>
    /// Adds the batch's counts, the last writes before the commit: concurrent writers of popular entities then hold
    /// those rows' locks only briefly, and taking them in id order means they never wait on each other in a cycle.
    /// </summary>
    public async Task ApplyCountsAsync()
    {
        foreach (var (entityId, (mentions, stories)) in _counts.OrderBy(c => c.Key))
            await connection.ExecuteAsync("UPDATE entities SET mention_count = mention_count + @mentions, story_count = story_count + @stories WHERE id = @entityId",
                new { entityId, mentions, stories }, transaction);
        _counts.Clear();
    }

    /// <summary>Insert-or-nothing and then a lookup, which unlike an upsert leaves an existing entity's row unlocked.</summary>
    private async Task<long> IdOfAsync((string Name, EntityType Type) key)
    {
        if (_ids.TryGetValue(key, out var id)) return id;
        var parameters = new { name = key.Name, type = EntityTypes.ToWire(key.Type) };
        id = await connection.ExecuteScalarAsync<long?>("INSERT INTO entities (name, type) VALUES (@name, @type) ON CONFLICT DO NOTHING RETURNING id",
                 parameters, transaction)
             ?? await connection.ExecuteScalarAsync<long>($"SELECT id FROM entities WHERE type = @type AND {database.EntityNameEquals}", parameters, transaction);
        return _ids[key] = id;
    }
}

/// <summary>Entity identity is its type and its canonical name in any case, as the unique index says.</summary>
internal sealed class EntityKeyComparer : IEqualityComparer<(string Name, EntityType Type)>
{
    public static readonly EntityKeyComparer Instance = new();
    public bool Equals((string Name, EntityType Type) x, (string Name, EntityType Type) y) =>
        x.Type == y.Type && string.Equals(x.Name, y.Name, StringComparison.OrdinalIgnoreCase);
    public int GetHashCode((string Name, EntityType Type) key) => HashCode.Combine(key.Type, StringComparer.OrdinalIgnoreCase.GetHashCode(key.Name));
}
