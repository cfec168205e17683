using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Aggregator.Nlp;
using Dapper;

namespace Aggregator.Storage.Sqlite;

public sealed class SqliteEntityStore(SqliteDatabase database) : IEntityStore
{
    public async Task<IReadOnlyList<long>> ResolveAsync(string nameOrAlias, EntityType? type, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<long>("""
            SELECT DISTINCT e.id FROM entity_aliases a JOIN entities e ON e.id = a.entity_id
            WHERE a.alias = @name AND (@type IS NULL OR e.type = @type)
            """, new { name = nameOrAlias.Trim(), type = type is { } t ? EntityTypes.ToWire(t) : null })).ToList();
    }

    public async Task<IReadOnlyList<EntitySummary>> ListAsync(EntityQuery query, CancellationToken ct = default)
    {
        var parameters = new
        {
            type = query.Type is { } t ? EntityTypes.ToWire(t) : null,
            prefix = query.Prefix is { Length: > 0 } p ? EscapeLike(p.Trim()) + "%" : null,
            fromId = query.From is { } from ? StoryIds.First(from) : (long?)null,
            toId = query.To is { } to ? StoryIds.First(to) : (long?)null,
            query.Limit,
        };
        const string filters = """
            (@type IS NULL OR e.type = @type)
            AND (@prefix IS NULL OR e.id IN (SELECT entity_id FROM entity_aliases WHERE alias LIKE @prefix ESCAPE '\'))
            """;
        var sql = query.From is null && query.To is null
            ? $"""
              SELECT e.id, e.name, e.type, e.mention_count AS mentions, e.story_count AS stories FROM entities e
              WHERE e.story_count > 0 AND {filters} ORDER BY e.story_count DESC, e.id LIMIT @Limit
              """
            : $"""
              SELECT e.id, e.name, e.type, sum(se.mentions) AS mentions, count(*) AS stories
              FROM story_entities se JOIN entities e ON e.id = se.entity_id
              WHERE (@fromId IS NULL OR se.story_id >= @fromId) AND (@toId IS NULL OR se.story_id < @toId) AND {filters}
              GROUP BY e.id ORDER BY stories DESC, e.id LIMIT @Limit
              """;
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Id, string Name, string Type, long Mentions, long Stories)>(sql, parameters);
        return rows.Select(r => new EntitySummary(r.Id, r.Name, EntityTypes.TryParse(r.Type, out var type) ? type : EntityType.Organization, r.Mentions, r.Stories)).ToList();
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
