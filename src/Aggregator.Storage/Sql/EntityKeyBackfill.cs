using System.Data.Common;
using Dapper;

namespace Aggregator.Storage.Sql;

/// <summary>
/// Fills in the keys of the entities and aliases stored without one (before migration "entity_identity" made keys).
/// Entities whose names become the same key are one entity by the new rule: each is merged into the one of that key
/// with the most stories, recorded in the edit log like an analyst's merge.
/// </summary>
internal static class EntityKeyBackfill
{
    private const int RowsPerUpdate = 300;
    public const string Actor = "migration (the same name once case, accents and punctuation are set aside)";

    public static async Task RunAsync(SqlDatabase database, DbConnection connection, DbTransaction transaction)
    {
        var aliases = await connection.QueryAsync<(string Alias, long EntityId)>("SELECT alias, entity_id FROM entity_aliases WHERE key IS NULL", transaction: transaction);
        await SetKeysAsync(connection, transaction, "entity_aliases", "alias", "entity_id", aliases.Select(a => ((object)a.Alias, a.EntityId, EntityBatch.KeyOf(a.Alias))));

        var taken = (await connection.QueryAsync<(long Id, string Type, string Key)>(
                "SELECT id, type, key FROM entities WHERE key IS NOT NULL AND merged_into IS NULL", transaction: transaction))
            .ToDictionary(e => (e.Type, e.Key), e => e.Id);
        var keyed = new List<(object, long, string)>();
        var twins = new List<(long Id, long Into, string Key)>();
        foreach (var (id, name, type) in await connection.QueryAsync<(long Id, string Name, string Type)>(
                     "SELECT id, name, type FROM entities WHERE key IS NULL ORDER BY story_count DESC, id", transaction: transaction))
        {
            var key = EntityBatch.KeyOf(name);
            if (taken.TryGetValue((type, key), out var holder)) twins.Add((id, holder, key));
            else
            {
                taken[(type, key)] = id;
                keyed.Add((id, id, key));
            }
        }
        await SetKeysAsync(connection, transaction, "entities", "id", "id", keyed);
        var edits = new EntityEdits(database, database.Search, TimeProvider.System);
        foreach (var (id, into, key) in twins)
        {
            await edits.MergeAsync(connection, transaction, id, into, Actor);
            await connection.ExecuteAsync("UPDATE entities SET key = @key WHERE id = @id", new { id, key }, transaction);
        }
    }

    /// <summary>Sets key on the rows matched by (column1, column2) = the first two values, many rows per statement.</summary>
    private static async Task SetKeysAsync(DbConnection connection, DbTransaction transaction, string table, string first, string second,
        IEnumerable<(object First, long Second, string Key)> rows)
    {
        foreach (var chunk in rows.Chunk(RowsPerUpdate))
        {
            var parameters = new DynamicParameters();
            var values = chunk.Select((row, r) =>
            {
                parameters.Add($"a{r}", row.First);
                parameters.Add($"b{r}", row.Second);
                parameters.Add($"k{r}", row.Key);
                return $"(@a{r}, @b{r}, @k{r})";
            });
            // VALUES columns are column1, column2, ... on both providers.
            await connection.ExecuteAsync($"""
                UPDATE {table} SET key = v.column3 FROM (VALUES {string.Join(", ", values)}) AS v
                WHERE {table}.{first} = v.column1 AND {table}.{second} = v.column2
                """, parameters, transaction);
        }
    }
}
