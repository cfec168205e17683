using System.Text.Json.Serialization;
using Aggregator.Api;
using Aggregator.Api.Endpoints;
using Scalar.AspNetCore;

// Settings come from beside the binary; relative paths in them (data/, feeds.json) are relative to the working folder.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var role = NodeRoles.From(builder.Configuration);
builder.Services.AddAggregatorApi(builder.Configuration, role);
// Request bodies here are JSON, OPML or a text to tag: none needs more than a megabyte.
builder.WebHost.ConfigureKestrel(o =>
{
    o.Limits.MaxRequestBodySize = 1024 * 1024;
    // Requests Kestrel itself refuses answer problem+json too.
    o.ConfigureEndpointDefaults(listen => listen.UseProblemBodies());
});
// A body or parameter that cannot be read throws, so that UnreadableRequests answers it with a detail (the default in
// Production is a bare 400, and Development logged each one as an error with its stack trace).
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddExceptionHandler<UnreadableRequests>();
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new EntityTypeJsonConverter());
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
});

var app = builder.Build();
await app.PrepareAsync(role);

// Unreadable requests (malformed JSON, oversized bodies) keep their own 4xx status; anything else is a 500.
// Both answer problem+json, never an exception page.
// A full disk answers 503 "Storage full" (see ApiServices' problem details).
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    StatusCodeSelector = e => e switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        _ when Aggregator.Storage.StorageErrors.IsFull(e) => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    },
});
app.UseStatusCodePages();
if (!role.ServesApi())
{
    // A worker answers its health checks (for the orchestrator) and nothing else.
    app.MapHealth();
    app.Run();
    return;
}
// The dashboard: wwwroot/index.html at /, with its scripts and styles (wwwroot is copied beside the binary).
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseRateLimiter();
app.MapOpenApi();
app.MapScalarApiReference("/docs", ApiDocs.ConfigureReference);
app.MapHealth();
var api = app.MapGroup("").RequireRateLimiting(RateLimiting.Policy).ProducesProblem(StatusCodes.Status429TooManyRequests);
api.MapFeeds();
api.MapStories();
api.MapEntities();
api.MapAnalytics();
api.MapEntityEdits();
api.MapStream();
app.MapJobsDashboard();
app.Run();
