using System.Data.Common;
using Aggregator.Core.Model;
using Aggregator.Nlp;
using Dapper;

namespace Aggregator.Storage.Sqlite;

/// <summary>
/// Writes the mentions of the stories of one transaction: entities are created on first sight with their aliases, each
/// story gets its per-entity row and its mention rows, and the entity counters and hourly counts (entity_hours) are
/// added at the end, once per entity and once per entity and hour, instead of once per story.
/// </summary>
internal sealed class EntityBatch(DbConnection connection, DbTransaction transaction)
{
    private readonly Dictionary<(string Name, EntityType Type), long> _ids = new(SqliteStoryStore.EntityKeyComparer.Instance);
    private readonly HashSet<(string Alias, long EntityId)> _aliases = new();
    private readonly Dictionary<long, (long Mentions, long Stories)> _counts = new();
    private readonly Dictionary<(long EntityId, long Hour), (long Mentions, long Stories)> _hours = new();

    /// <summary>The ids of the mentions' entities, creating those seen for the first time.</summary>
    public async Task<IReadOnlyList<long>> ResolveAsync(IReadOnlyList<StoryMention> mentions)
    {
        var ids = new List<long>();
        foreach (var key in mentions.Select(m => (Name: m.Canonical, m.Type)).Distinct(SqliteStoryStore.EntityKeyComparer.Instance))
            ids.Add(await IdOfAsync(key));
        return ids;
    }

    public async Task AddMentionsAsync(long storyId, IReadOnlyList<StoryMention> mentions)
    {
        foreach (var group in mentions.GroupBy(m => (Name: m.Canonical, m.Type), SqliteStoryStore.EntityKeyComparer.Instance))
        {
            var entityId = await IdOfAsync(group.Key);
            foreach (var alias in group.Select(m => m.Text).Append(group.Key.Name).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (_aliases.Add((alias.ToLowerInvariant(), entityId)))
                    await connection.ExecuteAsync("INSERT OR IGNORE INTO entity_aliases (alias, entity_id) VALUES (@alias, @entityId)", new { alias, entityId }, transaction);
            }
            var count = group.Count();
            await connection.ExecuteAsync("INSERT INTO story_entities (entity_id, story_id, mentions) VALUES (@entityId, @storyId, @count)",
                new { entityId, storyId, count }, transaction);
            var (m, s) = _counts.GetValueOrDefault(entityId);
            _counts[entityId] = (m + count, s + 1);
            var hour = (entityId, storyId / StoryIds.PerHour);
            var (hm, hs) = _hours.GetValueOrDefault(hour);
            _hours[hour] = (hm + count, hs + 1);
            foreach (var mention in group)
            {
                await connection.ExecuteAsync("""
                    INSERT OR IGNORE INTO mentions (story_id, field, start, end, entity_id, text) VALUES (@storyId, @field, @Start, @End, @entityId, @Text)
                    """, new { storyId, field = (int)mention.Field, mention.Start, mention.End, entityId, mention.Text }, transaction);
            }
        }
    }

    public async Task ApplyCountsAsync()
    {
        foreach (var (entityId, (mentions, stories)) in _counts)
            await connection.ExecuteAsync("UPDATE entities SET mention_count = mention_count + @mentions, story_count = story_count + @stories WHERE id = @entityId",
                new { entityId, mentions, stories }, transaction);
        foreach (var ((entityId, hour), (mentions, stories)) in _hours)
            await connection.ExecuteAsync("""
                INSERT INTO entity_hours (entity_id, hour, mentions, stories) VALUES (@entityId, @hour, @mentions, @stories)
                ON CONFLICT (entity_id, hour) DO UPDATE SET mentions = mentions + excluded.mentions, stories = stories + excluded.stories
                """, new { entityId, hour, mentions, stories }, transaction);
        _counts.Clear();
        _hours.Clear();
    }

    private async Task<long> IdOfAsync((string Name, EntityType Type) key)
    {
        if (_ids.TryGetValue(key, out var id)) return id;
        id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO entities (name, type) VALUES (@name, @type)
            ON CONFLICT (type, name COLLATE NOCASE) DO UPDATE SET name = name
            RETURNING id
            """, new { name = key.Name, type = EntityTypes.ToWire(key.Type) }, transaction);
        return _ids[key] = id;
    }
}
