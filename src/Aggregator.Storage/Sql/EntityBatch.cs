using System.Data.Common;
using Aggregator.Core.Entities;
using Aggregator.Core.Model;
using Aggregator.Nlp;
using Dapper;

namespace Aggregator.Storage.Sql;

/// <summary>
/// Writes the mentions of the stories of one transaction: each mention goes to the live entity of its canonical name
/// and type (by key: <see cref="EntityKey"/>), or to the entity a merged one of that name went into; entities are
/// created on first sight with their aliases; a mention of an ignored entity is not stored. Each story gets its
/// per-entity rows (whose triggers keep the entity counters and hourly counts) and its mention rows.
/// </summary>
internal sealed class EntityBatch(SqlDatabase database, DbConnection connection, DbTransaction transaction)
{
    /// <summary>Rows per multi-row INSERT: well under both providers' limits on statement parameters.</summary>
    private const int RowsPerInsert = 200;

    private readonly Dictionary<(EntityType Type, string Key), KnownEntity> _entities = [];
    private readonly HashSet<(string Alias, long EntityId)> _aliases = new(IgnoreCaseKeyComparer<long>.Instance);
    private long _editVersion = -1;

    /// <summary>A story's mentions by the entity they go to.</summary>
    public sealed record Resolved(IReadOnlyList<(long EntityId, string Name, List<StoryMention> Mentions)> Entities)
    {
        public IEnumerable<long> Ids => Entities.Select(e => e.EntityId);
    }

    /// <summary>
    /// The entities of the mentions, creating those seen for the first time. New entities are inserted in one global
    /// order, so concurrent writers that create the same ones wait for each other in that order and never in a cycle
    /// (a deadlock PostgreSQL would break by failing one of them).
    /// </summary>
    public async Task<Resolved> ResolveAsync(IReadOnlyList<StoryMention> mentions)
    {
        await ForgetIfEditedAsync();
        var byKey = mentions.GroupBy(m => (m.Type, Key: KeyOf(m.Canonical)))
            .OrderBy(g => g.Key.Type).ThenBy(g => g.Key.Key, StringComparer.Ordinal);
        var entities = new Dictionary<long, (long EntityId, string Name, List<StoryMention> Mentions)>();
        foreach (var group in byKey)
        {
            var entity = await EntityOfAsync(group.Key, group.First().Canonical);
            if (entity.Ignored) continue;
            if (!entities.TryGetValue(entity.Id, out var found)) entities[entity.Id] = found = (entity.Id, group.First().Canonical, []);
            found.Mentions.AddRange(group);
        }
        return new Resolved(entities.Values.OrderBy(e => e.EntityId).ToList());
    }

    /// <summary>The story's aliases, per-entity rows and mentions: one multi-row statement each, not one per row.</summary>
    public async Task AddMentionsAsync(long storyId, Resolved resolved)
    {
        var aliases = new List<object?[]>();
        var storyEntities = new List<object?[]>();
        var mentionRows = new List<object?[]>();
        foreach (var (entityId, name, mentions) in resolved.Entities)
        {
            foreach (var alias in mentions.Select(m => m.Text).Append(name).Distinct(StringComparer.OrdinalIgnoreCase)
                         .OrderBy(a => a.ToLowerInvariant(), StringComparer.Ordinal))
            {
                if (!database.KnownEntities.HasAlias(alias, entityId) && _aliases.Add((alias, entityId)))
                    aliases.Add([alias, KeyOf(alias), entityId]);
            }
            storyEntities.Add([entityId, storyId, mentions.Count]);
            mentionRows.AddRange(mentions.Select(mention => new object?[] { storyId, (long)mention.Field, (long)mention.Start, (long)mention.End, entityId, mention.Text }));
        }
        await InsertRowsAsync(connection, transaction, "entity_aliases (alias, key, entity_id)", aliases);
        await InsertRowsAsync(connection, transaction, "story_entities (entity_id, story_id, mentions)", storyEntities);
        await InsertRowsAsync(connection, transaction, "mentions (story_id, field, start, \"end\", entity_id, text)", mentionRows);
    }

    /// <summary>After the commit: the entities and aliases this batch wrote now exist for every writer to skip, unless an edit came between.</summary>
    public void Committed()
    {
        if (database.KnownEntities.EditVersion != _editVersion) return;
        foreach (var (key, entity) in _entities) database.KnownEntities.AddEntity(key, entity);
        foreach (var (alias, entityId) in _aliases) database.KnownEntities.AddAlias(alias, entityId);
    }

    /// <summary>The key of a name; a name with nothing to fold (punctuation alone) is its own key.</summary>
    public static string KeyOf(string name) => EntityKey.Of(name) is { Length: > 0 } key ? key : name;

    /// <summary>Inside the transaction: what this process remembers is forgotten when another process edited entities since.</summary>
    private async Task ForgetIfEditedAsync()
    {
        if (_editVersion >= 0) return;
        _editVersion = await connection.ExecuteScalarAsync<long>("SELECT version FROM entity_edit_version WHERE id = 1", transaction: transaction);
        if (_editVersion != database.KnownEntities.EditVersion) database.KnownEntities.Forget(_editVersion);
    }

    /// <summary>
    /// Known from an earlier commit; else the live entity of the key, or the one a merged entity of the key went into;
    /// else insert-or-nothing and a lookup again (which, unlike an upsert, leaves an existing entity's row unlocked).
    /// </summary>
    private async Task<KnownEntity> EntityOfAsync((EntityType Type, string Key) key, string name)
    {
        if (_entities.TryGetValue(key, out var entity) || database.KnownEntities.TryGetEntity(key, out entity)) return entity;
        var parameters = new { name, key = key.Key, type = EntityTypes.ToWire(key.Type) };
        var found = await LiveAsync(parameters)
            ?? await connection.QueryFirstOrDefaultAsync<EntityRow>("""
                   SELECT r.id, r.ignored FROM entities e JOIN entities r ON r.id = e.merged_into
                   WHERE e.type = @type AND e.key = @key AND e.merged_into IS NOT NULL ORDER BY e.id DESC LIMIT 1
                   """, parameters, transaction);
        if (found is null)
        {
            var id = await connection.ExecuteScalarAsync<long?>(
                "INSERT INTO entities (name, key, type) VALUES (@name, @key, @type) ON CONFLICT DO NOTHING RETURNING id", parameters, transaction);
            found = id is { } created ? new EntityRow { id = created } : await LiveAsync(parameters);
        }
        return _entities[key] = new KnownEntity(found!.id, found.ignored);
    }

    private Task<EntityRow?> LiveAsync(object parameters) => connection.QuerySingleOrDefaultAsync<EntityRow>(
        "SELECT id, ignored FROM entities WHERE type = @type AND key = @key AND merged_into IS NULL", parameters, transaction);


    /// <summary>Inserts the rows (values in the order of <paramref name="table"/>'s columns), skipping any already there.</summary>
    /// <remarks>
    /// Parameters are named with their prefix (@p0_0): SQLite finds a parameter by name with a walk of the statement's
    /// list, and Microsoft.Data.Sqlite walks it once more per prefix it tries for a bare name (as Dapper passes them),
    /// which for the hundred-odd parameters of a story's mentions was some 40% of its write (bench ingest).
    /// </remarks>
    public static async Task InsertRowsAsync(DbConnection connection, DbTransaction transaction, string table, List<object?[]> rows)
    {
        foreach (var chunk in rows.Chunk(RowsPerInsert))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var values = chunk.Select((row, r) => "(" + string.Join(", ", row.Select((value, c) =>
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@p{r}_{c}";
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
                return parameter.ParameterName;
            })) + ")");
            command.CommandText = $"INSERT INTO {table} VALUES {string.Join(", ", values)} ON CONFLICT DO NOTHING";
            await command.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>
/// Keys made of a text in any case and one more part, as the unique key of aliases (alias, entity) compares them.
/// </summary>
internal sealed class IgnoreCaseKeyComparer<T> : IEqualityComparer<(string Text, T Part)>
{
    public static readonly IgnoreCaseKeyComparer<T> Instance = new();
    public bool Equals((string Text, T Part) x, (string Text, T Part) y) =>
        EqualityComparer<T>.Default.Equals(x.Part, y.Part) && string.Equals(x.Text, y.Text, StringComparison.OrdinalIgnoreCase);
    public int GetHashCode((string Text, T Part) key) => HashCode.Combine(key.Part, StringComparer.OrdinalIgnoreCase.GetHashCode(key.Text));
}
