using System.Data.Common;
using System.Text.Json;
using Aggregator.Core.Model;
using Aggregator.Nlp;
using Dapper;

namespace Aggregator.Storage.Sql;

/// <summary>
/// Analysts' edits of the entities and their undoing, each inside the caller's transaction, recorded in entity_edits
/// with what undoing it needs.
/// <para>
/// A mention stays with the entity it was stored under (mentions.entity_id, and the story's entity_terms list those
/// ids); a merge only points that entity at its target (merged_into, kept one level deep) and moves the story rows,
/// so the counters follow by the story_entities triggers, and undoing it points it back. Only a split rewrites
/// mentions: those written as the alias move to the new entity, each remembered with the entity it had.
/// </para>
/// </summary>
internal sealed class EntityEdits(SqlDatabase database, StorySearch search, TimeProvider clock)
{
    private const int StoriesPerRound = 500;
    private const int StoriesPerRecount = 2_000;
    private const int MaxNameLength = 200;

    public async Task<EntityEdit> MergeAsync(DbConnection connection, DbTransaction transaction, long id, long into, string actor)
    {
        await database.LockEntitiesAsync(connection, transaction, [id, into]);
        var source = await EntityAsync(connection, transaction, id);
        var target = await EntityAsync(connection, transaction, into);
        if (target.MergedInto is { } root)
        {
            await database.LockEntitiesAsync(connection, transaction, [root]);
            target = await EntityAsync(connection, transaction, root);
        }
        if (source.MergedInto is { } already) throw new EntityEditConflictException($"Entity {id} was merged into entity {already} already.");
        if (source.Id == target.Id) throw new ArgumentException($"Entity {id} cannot be merged into itself.");
        var sourceAliases = await AliasesAsync(connection, transaction, source.Id);
        var targetAliases = (await AliasesAsync(connection, transaction, target.Id)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var added = sourceAliases.Where(a => !targetAliases.Contains(a)).ToList();
        await AddAliasesAsync(connection, transaction, target.Id, added);
        await connection.ExecuteAsync("DELETE FROM entity_aliases WHERE entity_id = @id", new { id = source.Id }, transaction);
        var repointed = (await connection.QueryAsync<long>("SELECT id FROM entities WHERE merged_into = @id", new { id = source.Id }, transaction)).ToList();
        await connection.ExecuteAsync("""
            UPDATE entities SET merged_into = @target WHERE merged_into = @source;
            UPDATE entities SET merged_into = @target WHERE id = @source;
            """, new { source = source.Id, target = target.Id }, transaction);
        await MoveStoryRowsAsync(connection, transaction, source.Id, target.Id);
        return await RecordAsync(connection, transaction, actor, EntityEditKind.Merge, source.Id, target.Id,
            $"Merged '{source.Name}' ({source.Id}, {source.Stories} stories) into '{target.Name}' ({target.Id})",
            new MergePayload(sourceAliases, added, repointed));
    }

    public async Task<EntityEdit> UpdateAsync(DbConnection connection, DbTransaction transaction, long id, EntityPatch patch, string actor)
    {
        if (patch.IsEmpty) throw new ArgumentException("Give any of name, type and ignored.");
        await database.LockEntitiesAsync(connection, transaction, [id]);
        var entity = await EntityAsync(connection, transaction, id);
        if (entity.MergedInto is { } into) throw new EntityEditConflictException($"Entity {id} was merged into entity {into}: edit that one.");
        var name = patch.Name is null ? entity.Name : ValidName(patch.Name);
        var type = patch.Type ?? entity.Type;
        var ignored = patch.Ignored ?? entity.Ignored;
        var renamed = !string.Equals(name, entity.Name, StringComparison.Ordinal);
        var retyped = type != entity.Type;
        if (!renamed && !retyped && ignored == entity.Ignored) throw new ArgumentException($"Entity {id} is '{name}', {EntityTypes.ToWire(type)}, already.");
        var key = EntityBatch.KeyOf(name);
        await EnsureNameFreeAsync(connection, transaction, id, type, key, name);
        var added = renamed && !(await AliasesAsync(connection, transaction, id)).Contains(name, StringComparer.OrdinalIgnoreCase) ? new List<string> { name } : [];
        await AddAliasesAsync(connection, transaction, id, added);
        await SetAsync(connection, transaction, id, name, type, ignored, entity.Curated || renamed || retyped);
        var changes = new List<string>();
        if (renamed) changes.Add($"renamed '{entity.Name}' to '{name}'");
        if (retyped) changes.Add($"retyped {EntityTypes.ToWire(entity.Type)} to {EntityTypes.ToWire(type)}");
        if (ignored != entity.Ignored) changes.Add(ignored ? "marked not an entity" : "marked an entity again");
        return await RecordAsync(connection, transaction, actor, EntityEditKind.Update, id, null,
            $"Entity {id} ('{entity.Name}'): {string.Join(", ", changes)}",
            new UpdatePayload(entity.Name, EntityTypes.ToWire(entity.Type), entity.Ignored, entity.Curated, added));
    }

    public async Task<EntityEdit> SplitAsync(DbConnection connection, DbTransaction transaction, long id, string alias, string actor)
    {
        await database.LockEntitiesAsync(connection, transaction, [id]);
        var entity = await EntityAsync(connection, transaction, id);
        if (entity.MergedInto is { } into) throw new EntityEditConflictException($"Entity {id} was merged into entity {into}: split that one.");
        var key = EntityBatch.KeyOf(alias.Trim());
        if (key == entity.Key) throw new ArgumentException($"'{alias}' is the name of entity {id} itself: rename the entity first, then split its old name off.");
        var spellings = (await connection.QueryAsync<string>("SELECT alias FROM entity_aliases WHERE entity_id = @id AND key = @key ORDER BY alias",
            new { id, key }, transaction)).ToList();
        if (spellings.Count == 0) throw new ArgumentException($"Entity {id} has no alias '{alias}'.");
        var name = spellings.FirstOrDefault(s => s.Equals(alias.Trim(), StringComparison.OrdinalIgnoreCase)) ?? spellings[0];
        await EnsureNameFreeAsync(connection, transaction, 0, entity.Type, key, name);
        var created = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO entities (name, key, type, curated) VALUES (@name, @key, @type, @curated) RETURNING id
            """, new { name, key, type = EntityTypes.ToWire(entity.Type), curated = true }, transaction);
        await connection.ExecuteAsync("UPDATE entity_aliases SET entity_id = @created WHERE entity_id = @id AND key = @key", new { created, id, key }, transaction);
        // The mentions written as the alias, among those counted under this entity (its own and those of entities merged into it).
        var own = await SubtreeAsync(connection, transaction, id);
        var moved = new Dictionary<long, List<long[]>>();
        foreach (var stories in (await search.MentioningAsync(connection, transaction, own)).Chunk(StoriesPerRound))
        {
            var rows = await connection.QueryAsync<(long StoryId, long Field, long Start, long EntityId, string Text)>($"""
                SELECT story_id, field, start, entity_id, text FROM mentions
                WHERE story_id IN ({string.Join(',', stories)}) AND entity_id IN ({string.Join(',', own)})
                """, transaction: transaction);
            foreach (var row in rows.Where(r => EntityBatch.KeyOf(r.Text) == key))
            {
                if (!moved.TryGetValue(row.EntityId, out var list)) moved[row.EntityId] = list = [];
                list.Add([row.StoryId, row.Field, row.Start]);
            }
        }
        foreach (var (_, mentions) in moved) await SetMentionEntityAsync(connection, transaction, mentions, created, from: null);
        var touched = moved.Values.SelectMany(m => m).Select(m => m[0]).Distinct().ToList();
        await RecountAsync(connection, transaction, touched, [id, created]);
        await RewriteTermsAsync(connection, transaction, touched);
        return await RecordAsync(connection, transaction, actor, EntityEditKind.Split, id, created,
            $"Split '{name}' off '{entity.Name}' ({id}) as entity {created}: {moved.Values.Sum(m => m.Count)} mentions in {touched.Count} stories",
            new SplitPayload(spellings, moved));
    }

    public async Task<EntityEdit> UndoAsync(DbConnection connection, DbTransaction transaction, long editId, string actor)
    {
        var edit = await EditAsync(connection, transaction, editId);
        long[] involved = edit.other_id is { } other ? [edit.entity_id, other] : [edit.entity_id];
        // Read again once its entities are locked: a concurrent undo of the same edit may have committed meanwhile.
        await database.LockEntitiesAsync(connection, transaction, involved);
        edit = await EditAsync(connection, transaction, editId);
        if (edit.undone_at is not null) throw new EntityEditConflictException($"Edit {editId} was undone already.");
        var later = await connection.ExecuteScalarAsync<long?>($"""
            SELECT max(id) FROM entity_edits WHERE id > @editId AND undone_at IS NULL
            AND (entity_id IN ({string.Join(',', involved)}) OR other_id IN ({string.Join(',', involved)}))
            """, new { editId }, transaction);
        if (later is { } laterId) throw new EntityEditConflictException($"Edit {laterId} changed the same entities later: undo it first.");
        switch (Enum.Parse<EntityEditKind>(edit.kind))
        {
            case EntityEditKind.Merge:
                await UndoMergeAsync(connection, transaction, edit.entity_id, edit.other_id!.Value, Payload<MergePayload>(edit));
                break;
            case EntityEditKind.Update:
                await UndoUpdateAsync(connection, transaction, edit.entity_id, Payload<UpdatePayload>(edit));
                break;
            case EntityEditKind.Split:
                await UndoSplitAsync(connection, transaction, edit.entity_id, edit.other_id!.Value, Payload<SplitPayload>(edit));
                break;
        }
        var undone = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await connection.ExecuteAsync("UPDATE entity_edits SET undone_at = @undone, undone_by = @actor WHERE id = @editId", new { undone, actor, editId }, transaction);
        return edit.ToEdit() with { UndoneAt = DateTimeOffset.FromUnixTimeMilliseconds(undone), UndoneBy = actor };
    }

    private static async Task<EditRow> EditAsync(DbConnection connection, DbTransaction transaction, long editId) =>
        await connection.QuerySingleOrDefaultAsync<EditRow>(
            "SELECT id, at, actor, kind, entity_id, other_id, summary, payload, undone_at, undone_by FROM entity_edits WHERE id = @editId",
            new { editId }, transaction)
        ?? throw new KeyNotFoundException($"There is no edit {editId}.");

    public async Task<IReadOnlyList<EntityEdit>> ListAsync(DbConnection connection, long? entityId, int limit) =>
        (await connection.QueryAsync<EditRow>("""
            SELECT id, at, actor, kind, entity_id, other_id, summary, payload, undone_at, undone_by FROM entity_edits
            WHERE @entityId IS NULL OR entity_id = @entityId OR other_id = @entityId ORDER BY id DESC LIMIT @limit
            """, new { entityId, limit })).Select(e => e.ToEdit()).ToList();

    private async Task UndoMergeAsync(DbConnection connection, DbTransaction transaction, long source, long target, MergePayload payload)
    {
        var entity = await EntityAsync(connection, transaction, source);
        await EnsureNameFreeAsync(connection, transaction, source, entity.Type, entity.Key, entity.Name);
        await connection.ExecuteAsync("UPDATE entities SET merged_into = NULL WHERE id = @source", new { source }, transaction);
        if (payload.Repointed.Count > 0)
            await connection.ExecuteAsync($"UPDATE entities SET merged_into = @source WHERE id IN ({string.Join(',', payload.Repointed)})", new { source }, transaction);
        await RemoveAliasesAsync(connection, transaction, target, payload.AddedAliases);
        await AddAliasesAsync(connection, transaction, source, payload.SourceAliases);
        var stories = await search.MentioningAsync(connection, transaction, await SubtreeAsync(connection, transaction, source));
        await RecountAsync(connection, transaction, stories, [source, target]);
    }

    private async Task UndoUpdateAsync(DbConnection connection, DbTransaction transaction, long id, UpdatePayload payload)
    {
        if (!EntityTypes.TryParse(payload.Type, out var type)) throw new InvalidOperationException($"Edit payload type '{payload.Type}'.");
        await EnsureNameFreeAsync(connection, transaction, id, type, EntityBatch.KeyOf(payload.Name), payload.Name);
        await SetAsync(connection, transaction, id, payload.Name, type, payload.Ignored, payload.Curated);
        await RemoveAliasesAsync(connection, transaction, id, payload.AddedAliases);
    }

    private async Task UndoSplitAsync(DbConnection connection, DbTransaction transaction, long id, long created, SplitPayload payload)
    {
        // Every story the split entity is in now: those it took, and those stored since with its name.
        var stories = (await search.MentioningAsync(connection, transaction, [created]))
            .Union(payload.Mentions.Values.SelectMany(m => m).Select(m => m[0])).ToList();
        foreach (var (entity, mentions) in payload.Mentions) await SetMentionEntityAsync(connection, transaction, mentions, entity, from: created);
        await connection.ExecuteAsync("""
            INSERT INTO entity_aliases (alias, key, entity_id) SELECT alias, key, @id FROM entity_aliases WHERE entity_id = @created ON CONFLICT DO NOTHING;
            DELETE FROM entity_aliases WHERE entity_id = @created;
            UPDATE entities SET merged_into = @id WHERE id = @created;
            """, new { id, created }, transaction);
        await RecountAsync(connection, transaction, stories, [id, created]);
        await RewriteTermsAsync(connection, transaction, stories);
    }

    /// <summary>
    /// Moves the story rows of one entity onto another: added to the target's row of a story both are in, the
    /// target's own row otherwise. The triggers move the counts and hourly counts with them.
    /// </summary>
    private static Task MoveStoryRowsAsync(DbConnection connection, DbTransaction transaction, long source, long target) =>
        connection.ExecuteAsync("""
            UPDATE story_entities SET mentions = mentions + (SELECT a.mentions FROM story_entities a WHERE a.entity_id = @source AND a.story_id = story_entities.story_id)
            WHERE entity_id = @target AND story_id IN (SELECT story_id FROM story_entities WHERE entity_id = @source);
            INSERT INTO story_entities (entity_id, story_id, mentions)
            SELECT @target, a.story_id, a.mentions FROM story_entities a
            WHERE a.entity_id = @source AND NOT EXISTS (SELECT 1 FROM story_entities b WHERE b.entity_id = @target AND b.story_id = a.story_id);
            DELETE FROM story_entities WHERE entity_id = @source;
            DELETE FROM entity_hours WHERE entity_id = @source;
            """, new { source, target }, transaction);

    /// <summary>
    /// Brings the stories' rows of these entities in line with their mentions: each mention counts for the live entity
    /// its entity is or was merged into. Said in SQL, set by set: the triggers keep the counters and hourly counts in
    /// step row by row, and rows inserted from the application cost several times more than rows the database selects.
    /// </summary>
    private static async Task RecountAsync(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<long> storyIds, long[] entities)
    {
        var list = string.Join(',', entities);
        var counted = (await connection.QueryAsync<(long Id, long Root)>(
                $"SELECT id, coalesce(merged_into, id) FROM entities WHERE id IN ({list}) OR merged_into IN ({list})", transaction: transaction))
            .ToLookup(e => e.Root, e => e.Id);
        foreach (var stories in storyIds.Chunk(StoriesPerRecount))
        {
            var inStories = string.Join(',', stories);
            foreach (var entity in entities.Order())
            {
                // What the mentions of these stories count for the entity (none when it no longer is a live one).
                var own = counted[entity].DefaultIfEmpty(-1);
                var mentions = $"SELECT count(*) FROM mentions m WHERE m.story_id = story_entities.story_id AND m.entity_id IN ({string.Join(',', own)})";
                await connection.ExecuteAsync($"""
                    DELETE FROM story_entities WHERE entity_id = @entity AND story_id IN ({inStories}) AND ({mentions}) = 0;
                    UPDATE story_entities SET mentions = ({mentions}) WHERE entity_id = @entity AND story_id IN ({inStories}) AND mentions <> ({mentions});
                    INSERT INTO story_entities (entity_id, story_id, mentions)
                    SELECT @entity, m.story_id, count(*) FROM mentions m
                    WHERE m.story_id IN ({inStories}) AND m.entity_id IN ({string.Join(',', own)})
                    AND NOT EXISTS (SELECT 1 FROM story_entities se WHERE se.entity_id = @entity AND se.story_id = m.story_id)
                    GROUP BY m.story_id;
                    """, new { entity }, transaction);
            }
        }
    }

    /// <summary>The stories' entity_terms: the entities their mentions are stored under.</summary>
    private static async Task RewriteTermsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<long> storyIds)
    {
        foreach (var stories in storyIds.Chunk(StoriesPerRound))
        {
            var terms = (await connection.QueryAsync<(long StoryId, long EntityId)>(
                    $"SELECT DISTINCT story_id, entity_id FROM mentions WHERE story_id IN ({string.Join(',', stories)})", transaction: transaction))
                .GroupBy(m => m.StoryId).ToDictionary(g => g.Key, g => EntityTerms.Of(g.Select(m => m.EntityId)));
            foreach (var story in stories)
                await connection.ExecuteAsync("UPDATE stories SET entity_terms = @terms WHERE id = @story AND entity_terms <> @terms",
                    new { story, terms = terms.GetValueOrDefault(story, "") }, transaction);
        }
    }

    /// <summary>Sets the entity of the mentions ([story, field, start] each), only where it is still <paramref name="from"/> when given.</summary>
    private static async Task SetMentionEntityAsync(DbConnection connection, DbTransaction transaction, List<long[]> mentions, long entity, long? from)
    {
        foreach (var chunk in mentions.Chunk(StoriesPerRound))
            await connection.ExecuteAsync($"""
                UPDATE mentions SET entity_id = @entity
                WHERE (story_id, field, start) IN (VALUES {string.Join(", ", chunk.Select(m => $"({m[0]}, {m[1]}, {m[2]})"))})
                {(from is null ? "" : "AND entity_id = @from")}
                """, new { entity, from }, transaction);
    }

    /// <summary>The entity and those merged into it.</summary>
    private static async Task<long[]> SubtreeAsync(DbConnection connection, DbTransaction transaction, long id) =>
        (await connection.QueryAsync<long>("SELECT id FROM entities WHERE merged_into = @id", new { id }, transaction)).Append(id).ToArray();

    public static async Task<EntityRow> EntityAsync(DbConnection connection, DbTransaction? transaction, long id) =>
        await connection.QuerySingleOrDefaultAsync<EntityRow>(
            "SELECT id, name, key, type, merged_into, ignored, curated, story_count FROM entities WHERE id = @id", new { id }, transaction)
        ?? throw new KeyNotFoundException($"There is no entity {id}.");

    private static async Task EnsureNameFreeAsync(DbConnection connection, DbTransaction transaction, long id, EntityType type, string key, string name)
    {
        var other = await connection.ExecuteScalarAsync<long?>(
            "SELECT id FROM entities WHERE type = @type AND key = @key AND merged_into IS NULL AND id <> @id",
            new { type = EntityTypes.ToWire(type), key, id }, transaction);
        if (other is { } taken)
            throw new EntityEditConflictException($"Entity {taken} is named '{name}' as a {EntityTypes.ToWire(type)} already: merge into it instead.");
    }

    private static Task SetAsync(DbConnection connection, DbTransaction transaction, long id, string name, EntityType type, bool ignored, bool curated) =>
        connection.ExecuteAsync("UPDATE entities SET name = @name, key = @key, type = @type, ignored = @ignored, curated = @curated WHERE id = @id",
            new { id, name, key = EntityBatch.KeyOf(name), type = EntityTypes.ToWire(type), ignored, curated }, transaction);

    private static async Task<List<string>> AliasesAsync(DbConnection connection, DbTransaction transaction, long id) =>
        (await connection.QueryAsync<string>("SELECT alias FROM entity_aliases WHERE entity_id = @id ORDER BY alias", new { id }, transaction)).ToList();

    private static Task AddAliasesAsync(DbConnection connection, DbTransaction transaction, long id, IEnumerable<string> aliases) =>
        EntityBatch.InsertRowsAsync(connection, transaction, "entity_aliases (alias, key, entity_id)",
            aliases.Select(a => new object?[] { a, EntityBatch.KeyOf(a), id }).ToList());

    private static async Task RemoveAliasesAsync(DbConnection connection, DbTransaction transaction, long id, IEnumerable<string> aliases)
    {
        foreach (var alias in aliases)
            await connection.ExecuteAsync("DELETE FROM entity_aliases WHERE entity_id = @id AND alias = @alias", new { id, alias }, transaction);
    }

    private static string ValidName(string name)
    {
        var trimmed = name.Trim();
        if (trimmed.Length == 0 || EntityBatch.KeyOf(trimmed).Trim().Length == 0) throw new ArgumentException("name must have letters or digits.");
        if (trimmed.Length > MaxNameLength) throw new ArgumentException($"name must be at most {MaxNameLength} characters.");
        if (trimmed.Any(char.IsControl)) throw new ArgumentException("name must be one line of text.");
        return trimmed;
    }

    private async Task<EntityEdit> RecordAsync<T>(DbConnection connection, DbTransaction transaction, string actor, EntityEditKind kind, long entityId, long? otherId, string summary, T payload)
    {
        var at = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO entity_edits (at, actor, kind, entity_id, other_id, summary, payload) VALUES (@at, @actor, @kind, @entityId, @otherId, @summary, @payload)
            RETURNING id
            """, new { at, actor, kind = kind.ToString(), entityId, otherId, summary, payload = JsonSerializer.Serialize(payload) }, transaction);
        return new EntityEdit(id, DateTimeOffset.FromUnixTimeMilliseconds(at), actor, kind, entityId, otherId, summary, null, null);
    }

    private static T Payload<T>(EditRow edit) =>
        JsonSerializer.Deserialize<T>(edit.payload) ?? throw new InvalidOperationException($"Edit {edit.id} has no payload.");

    private sealed record MergePayload(List<string> SourceAliases, List<string> AddedAliases, List<long> Repointed);

    private sealed record UpdatePayload(string Name, string Type, bool Ignored, bool Curated, List<string> AddedAliases);

    /// <param name="Mentions">The moved mentions ([story, field, start]) by the entity each had.</param>
    private sealed record SplitPayload(List<string> Aliases, Dictionary<long, List<long[]>> Mentions);

    private sealed class EditRow
    {
        public long id { get; set; }
        public long at { get; set; }
        public string actor { get; set; } = "";
        public string kind { get; set; } = "";
        public long entity_id { get; set; }
        public long? other_id { get; set; }
        public string summary { get; set; } = "";
        public string payload { get; set; } = "";
        public long? undone_at { get; set; }
        public string? undone_by { get; set; }

        public EntityEdit ToEdit() => new(id, DateTimeOffset.FromUnixTimeMilliseconds(at), actor, Enum.Parse<EntityEditKind>(kind), entity_id, other_id, summary,
            undone_at is { } u ? DateTimeOffset.FromUnixTimeMilliseconds(u) : null, undone_by);
    }
}
