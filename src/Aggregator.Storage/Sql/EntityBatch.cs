using System.Data.Common;
using Aggregator.Core.Model;
using Aggregator.Nlp;
using Dapper;

namespace Aggregator.Storage.Sql;

/// <summary>
/// Writes the mentions of the stories of one transaction: entities are created on first sight with their aliases, each
/// story gets its per-entity row and its mention rows (whose triggers keep the entity counters and hourly counts).
/// </summary>
internal sealed class EntityBatch(SqlDatabase database, DbConnection connection, DbTransaction transaction)
{
    /// <summary>Rows per multi-row INSERT: well under both providers' limits on statement parameters.</summary>
    private const int RowsPerInsert = 200;

    private readonly Dictionary<(string Name, EntityType Type), long> _ids = new(IgnoreCaseKeyComparer<EntityType>.Instance);
    private readonly HashSet<(string Alias, long EntityId)> _aliases = new(IgnoreCaseKeyComparer<long>.Instance);

    /// <summary>
    /// The ids of the mentions' entities, creating those seen for the first time. New entities (and then their
    /// aliases) are inserted in one global order, so concurrent writers that create the same ones wait for each other
    /// in that order and never in a cycle (a deadlock PostgreSQL would break by failing one of them).
    /// </summary>
    public async Task<IReadOnlyList<long>> ResolveAsync(IReadOnlyList<StoryMention> mentions)
    {
        var ids = new List<long>();
        foreach (var key in InKeyOrder(mentions.Select(m => (Name: m.Canonical, m.Type)).Distinct(IgnoreCaseKeyComparer<EntityType>.Instance)))
            ids.Add(await IdOfAsync(key));
        return ids;
    }

    private static IEnumerable<(string Name, EntityType Type)> InKeyOrder(IEnumerable<(string Name, EntityType Type)> keys) =>
        keys.OrderBy(k => k.Type).ThenBy(k => k.Name.ToLowerInvariant(), StringComparer.Ordinal);

    /// <summary>The story's aliases, per-entity rows and mentions: one multi-row statement each, not one per row.</summary>
    public async Task AddMentionsAsync(long storyId, IReadOnlyList<StoryMention> mentions)
    {
        var groups = mentions.GroupBy(m => (m.Canonical, m.Type), IgnoreCaseKeyComparer<EntityType>.Instance).ToDictionary(g => g.Key, IgnoreCaseKeyComparer<EntityType>.Instance);
        var aliases = new List<object?[]>();
        var storyEntities = new List<object?[]>();
        var mentionRows = new List<object?[]>();
        foreach (var key in InKeyOrder(groups.Keys))
        {
            var group = groups[key];
            var entityId = await IdOfAsync(key);
            foreach (var alias in group.Select(m => m.Text).Append(key.Name).Distinct(StringComparer.OrdinalIgnoreCase)
                         .OrderBy(a => a.ToLowerInvariant(), StringComparer.Ordinal))
            {
                if (!database.KnownEntities.HasAlias(alias, entityId) && _aliases.Add((alias, entityId)))
                    aliases.Add([alias, entityId]);
            }
            var count = group.Count();
            storyEntities.Add([entityId, storyId, count]);
            mentionRows.AddRange(group.Select(mention => new object?[] { storyId, (long)mention.Field, (long)mention.Start, (long)mention.End, entityId, mention.Text }));
        }
        await InsertRowsAsync("entity_aliases (alias, entity_id)", aliases);
        await InsertRowsAsync("story_entities (entity_id, story_id, mentions)", storyEntities);
        await InsertRowsAsync("mentions (story_id, field, start, \"end\", entity_id, text)", mentionRows);
    }

    /// <summary>After the commit: the entities and aliases this batch wrote now exist for every writer to skip.</summary>
    public void Committed()
    {
        foreach (var (key, id) in _ids) database.KnownEntities.AddEntity(key, id);
        foreach (var (alias, entityId) in _aliases) database.KnownEntities.AddAlias(alias, entityId);
    }

    /// <summary>Known from an earlier commit, or insert-or-nothing and then a lookup (which, unlike an upsert, leaves an existing entity's row unlocked).</summary>
    private async Task<long> IdOfAsync((string Name, EntityType Type) key)
    {
        if (_ids.TryGetValue(key, out var id) || database.KnownEntities.TryGetEntity(key, out id)) return id;
        var parameters = new { name = key.Name, type = EntityTypes.ToWire(key.Type) };
        id = await connection.ExecuteScalarAsync<long?>("INSERT INTO entities (name, type) VALUES (@name, @type) ON CONFLICT DO NOTHING RETURNING id",
                 parameters, transaction)
             ?? await connection.ExecuteScalarAsync<long>($"SELECT id FROM entities WHERE type = @type AND {database.EntityNameEquals}", parameters, transaction);
        return _ids[key] = id;
    }

    /// <summary>Inserts the rows (values in the order of <paramref name="table"/>'s columns), skipping any already there.</summary>
    private async Task InsertRowsAsync(string table, List<object?[]> rows)
    {
        foreach (var chunk in rows.Chunk(RowsPerInsert))
        {
            var parameters = new DynamicParameters();
            var values = chunk.Select((row, r) => "(" + string.Join(", ", row.Select((value, c) =>
            {
                parameters.Add($"p{r}_{c}", value);
                return $"@p{r}_{c}";
            })) + ")");
            await connection.ExecuteAsync($"INSERT INTO {table} VALUES {string.Join(", ", values)} ON CONFLICT DO NOTHING", parameters, transaction);
        }
    }
}

/// <summary>
/// Keys made of a text in any case and one more part, as the unique keys of entities (name, type) and of aliases
/// (alias, entity) compare them.
/// </summary>
internal sealed class IgnoreCaseKeyComparer<T> : IEqualityComparer<(string Text, T Part)>
{
    public static readonly IgnoreCaseKeyComparer<T> Instance = new();
    public bool Equals((string Text, T Part) x, (string Text, T Part) y) =>
        EqualityComparer<T>.Default.Equals(x.Part, y.Part) && string.Equals(x.Text, y.Text, StringComparison.OrdinalIgnoreCase);
    public int GetHashCode((string Text, T Part) key) => HashCode.Combine(key.Part, StringComparer.OrdinalIgnoreCase.GetHashCode(key.Text));
}
