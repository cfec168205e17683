using System.Security.Cryptography;
using System.Text;
using Aggregator.Api.Security;
using Aggregator.Core.Entities;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Aggregator.Api.Endpoints;

public sealed record MergeRequest(long? Into);
public sealed record EntityPatchRequest(string? Name, string? Type, bool? Ignored);
public sealed record SplitRequest(string? Alias);

/// <summary>An edit with the entity as it stands after it (the target of a merge, the entity a split made).</summary>
public sealed record EditResult(EntityEdit Edit, EntityDetail Entity);

/// <summary>Analysts' corrections of the entities (operator key): merge, rename, retype, ignore, split, the edit log, undo.</summary>
public static class EntityEditsEndpoints
{
    public const int MaxEdits = 200;

    public static void MapEntityEdits(this IEndpointRouteBuilder root)
    {
        var app = root.MapGroup("/api/entities").WithTags("Entity edits").AddEndpointFilter<OperatorAuthFilter>();

        app.MapPost("/{id:long}/merge", (long id, MergeRequest request, EntityEditor editor, IEntityStore entities, HttpContext http, CancellationToken ct) =>
                EditAsync(http, entities, ct, actor => request.Into is { } into
                    ? editor.MergeAsync(id, into, actor, ct)
                    : throw new ArgumentException("Give the id of the entity to merge into in the 'into' field.")))
            .Documented(Parameters.Id("entity"))
            .WithSummary("Merges the entity into another: its aliases, mentions, counts, series and co-occurrences move to the target.")
            .WithDescription("""
                Body: {"into": <id>}. Later mentions of its names resolve to the target, and its id answers 308 to the target's.
                Into a merged entity means into the entity that one was merged into. Answers the edit and the target.
                """);

        app.MapPatch("/{id:long}", (long id, EntityPatchRequest request, EntityEditor editor, IEntityStore entities, HttpContext http, CancellationToken ct) =>
                EditAsync(http, entities, ct, actor =>
                    editor.UpdateAsync(id, new EntityPatch(request.Name, EntitiesEndpoints.ParseType(request.Type), request.Ignored), actor, ct)))
            .Documented(Parameters.Id("entity"))
            .WithSummary("Renames, retypes or ignores the entity.")
            .WithDescription("""
                Body: any of {"name": "...", "type": "PERSON|LOCATION|ORGANIZATION", "ignored": true|false}. The old name stays an
                alias. ignored=true: not an entity; it leaves lists, trends and co-occurrences, its mentions stay stored but hidden,
                and new mentions of its name and type are not stored. A name and type another entity has answer 409: merge instead.
                """);

        app.MapPost("/{id:long}/split", (long id, SplitRequest request, EntityEditor editor, IEntityStore entities, HttpContext http, CancellationToken ct) =>
                EditAsync(http, entities, ct, actor => string.IsNullOrWhiteSpace(request.Alias)
                    ? throw new ArgumentException("Give the alias to split off in the 'alias' field.")
                    : editor.SplitAsync(id, request.Alias, actor, ct), created: true))
            .Documented(Parameters.Id("entity"))
            .WithSummary("Makes one alias of the entity an entity of its own again, with the mentions written that way.")
            .WithDescription("Body: {\"alias\": \"...\"}. Answers 201 with the edit and the new entity.");

        app.MapGet("/edits", async Task<Results<Ok<IReadOnlyList<EntityEdit>>, ProblemHttpResult>> (string? entity, string? limit, IEntityStore entities, CancellationToken ct) =>
            {
                try
                {
                    long? entityId = string.IsNullOrEmpty(entity) ? null
                        : long.TryParse(entity, System.Globalization.NumberStyles.None, null, out var parsed) ? parsed
                        : throw new ArgumentException("entity must be an entity id (a number).");
                    return TypedResults.Ok(await entities.EditsAsync(entityId, QueryParameters.Limit(limit, 50, MaxEdits), ct));
                }
                catch (ArgumentException e)
                {
                    return Problems.BadRequest(e.Message);
                }
            })
            .AddEndpointFilter<ConditionalGetFilter>()
            .Documented(new("entity", "Only the edits of this entity (either side of a merge or split).", JsonSchemaType.Integer, "int64"), Parameters.Limit(MaxEdits, 50))
            .WithSummary("The edit log, newest first: what was changed, when, by which key or address, and whether it was undone.")
            .WithDescription($"entity: only the edits of this entity (either side of a merge or split). limit: 1-{MaxEdits}, default 50.");

        app.MapDelete("/edits/{editId:long}", (long editId, EntityEditor editor, IEntityStore entities, HttpContext http, CancellationToken ct) =>
                EditAsync(http, entities, ct, actor => editor.UndoAsync(editId, actor, ct)))
            .Documented(new ParameterDoc("editId", "The edit's id.", JsonSchemaType.Integer, "int64"))
            .WithSummary("Undoes an edit, counts included.")
            .WithDescription("An edit of entities edited again later is undone after the later edit (409 says which). Answers the undone edit and its entity.");
    }

    /// <summary>
    /// Runs the edit as the caller, answering the edit with the entity it leaves in view (a merge's target, a split's new
    /// entity; once undone, the entity edited), or a problem.
    /// </summary>
    private static async Task<Results<Ok<EditResult>, Created<EditResult>, ProblemHttpResult>> EditAsync(
        HttpContext http, IEntityStore entities, CancellationToken ct, Func<string, Task<EntityEdit>> edit, bool created = false)
    {
        try
        {
            var done = await edit(Actor(http));
            var shown = done.UndoneAt is null && done.OtherId is { } other ? other : done.EntityId;
            var result = new EditResult(done, (await entities.GetAsync(shown, ct))!);
            return created ? TypedResults.Created($"/api/entities/{shown}", result) : TypedResults.Ok(result);
        }
        catch (KeyNotFoundException e)
        {
            return Problems.NotFound(e.Message);
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest(e.Message);
        }
        catch (EntityEditConflictException e)
        {
            return Problems.Conflict(e.Message);
        }
    }

    /// <summary>Who made an edit: a fingerprint of the key presented (never the key) and the caller's address.</summary>
    private static string Actor(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "in-process";
        var key = http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.Key;
        return string.IsNullOrEmpty(key) ? address
            : $"key {Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..8]} ({address})";
    }
}
