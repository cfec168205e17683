using System.Text.Json;
using Aggregator.Api.Security;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Microsoft.Extensions.Options;

namespace Aggregator.Api.Endpoints;

/// <summary>Configuration section "Stream".</summary>
public sealed class StreamOptions
{
    public const string Section = "Stream";
    /// <summary>How often the stream looks for new stories. It reads the database, so it works whichever process stored them.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>Streams open at once, and per client address: each holds a connection and polls the database.</summary>
    public int MaxConnections { get; set; } = 100;
    public int MaxConnectionsPerClient { get; set; } = 4;
}

/// <summary>Counts the open streams, in all and per client address.</summary>
public sealed class StreamSlots(IOptions<StreamOptions> options)
{
    private readonly Dictionary<string, int> _perClient = [];
    private int _total;

    /// <returns>A slot to dispose when the stream ends, or the refusal (429 for one client's excess, 503 when full).</returns>
    public (IDisposable? Slot, IResult? Refusal) TryOpen(HttpContext http)
    {
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "local";
        lock (_perClient)
        {
            var mine = _perClient.GetValueOrDefault(client);
            if (mine >= options.Value.MaxConnectionsPerClient)
                return (null, Refuse(StatusCodes.Status429TooManyRequests, $"This client already has {mine} streams open; close one first."));
            if (_total >= options.Value.MaxConnections)
                return (null, Refuse(StatusCodes.Status503ServiceUnavailable, $"The server has {_total} streams open, its limit; retry later."));
            _perClient[client] = mine + 1;
            _total++;
        }
        return (new Slot(this, client), null);
    }

    private void Close(string client)
    {
        lock (_perClient)
        {
            _total--;
            if (--_perClient[client] == 0) _perClient.Remove(client);
        }
    }

    private static IResult Refuse(int status, string detail) => Results.Problem(statusCode: status, title: "Too many streams", detail: detail);

    private sealed class Slot(StreamSlots slots, string client) : IDisposable
    {
        private int _closed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0) slots.Close(client);
        }
    }
}

public sealed record StreamedEntity(string Name, Aggregator.Nlp.EntityType Type);
public sealed record StreamedStory(long Id, string Title, DateTimeOffset Published, IReadOnlyList<StreamedEntity> Entities);

public static class StreamEndpoints
{
    public static void MapStream(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/stream", async (HttpContext http, string? since, IStoryStore stories, IOptions<StreamOptions> options, StreamSlots slots,
                IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
            {
                var (slot, refusal) = slots.TryOpen(http);
                if (refusal is not null)
                {
                    http.Response.Headers.RetryAfter = "5";
                    await refusal.ExecuteAsync(http);
                    return;
                }
                using var _ = slot;
                IngestionCursor cursor;
                try
                {
                    cursor = string.IsNullOrEmpty(since)
                        ? IngestionCursor.Decode((await stories.SearchAsync(new StoryQuery { Limit = 1 }, ct)).Since!)
                        : IngestionCursor.Decode(since);
                }
                catch (FormatException e)
                {
                    await Problems.BadRequest(e.Message).ExecuteAsync(http);
                    return;
                }
                http.Response.ContentType = "text/event-stream";
                http.Response.Headers.CacheControl = "no-cache";
                http.Response.Headers["X-Accel-Buffering"] = "no";
                await http.Response.WriteAsync(": connected\n\n", ct);
                await http.Response.Body.FlushAsync(ct);
                var quiet = TimeSpan.Zero;
                using var timer = new PeriodicTimer(options.Value.PollInterval);
                try
                {
                    while (await timer.WaitForNextTickAsync(ct))
                    {
                        var page = await stories.SearchAsync(new StoryQuery { Since = cursor, Limit = StoryQuery.MaxLimit }, ct);
                        cursor = IngestionCursor.Decode(page.Since!);
                        foreach (var item in page.Items)
                        {
                            var story = await stories.GetAsync(item.Id, ct);
                            var entities = story?.Mentions.DistinctBy(m => (m.Canonical, m.Type)).Select(m => new StreamedEntity(m.Canonical, m.Type)).ToList() ?? [];
                            var data = JsonSerializer.Serialize(new StreamedStory(item.Id, item.Title, item.Published, entities), json.Value.SerializerOptions);
                            await http.Response.WriteAsync($"id: {page.Since}\nevent: story\ndata: {data}\n\n", ct);
                        }
                        quiet = page.Items.Count > 0 ? TimeSpan.Zero : quiet + options.Value.PollInterval;
                        if (quiet >= options.Value.Heartbeat)
                        {
                            await http.Response.WriteAsync(": heartbeat\n\n", ct);
                            quiet = TimeSpan.Zero;
                        }
                        await http.Response.Body.FlushAsync(ct);
                    }
                }
                catch (OperationCanceledException) { } // the client went away
            })
            .AddEndpointFilter<ReadAuthFilter>()
            .WithTags("Stories")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Documented(new ParameterDoc("since", "The 'since' of a story list's answer: stream the stories stored after it (default: from now)."))
            .WithSummary("Server-Sent Events: each newly stored story as an event 'story' with id, title, published and entities.")
            .WithDescription("since: start after this token (the 'since' of /api/stories); default: now. Each event's id is a since token, so a reconnecting client can resume.");
    }
}
