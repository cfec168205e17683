using System.Text.Json.Serialization;
using Aggregator.Api;
using Aggregator.Api.Endpoints;

// Settings come from beside the binary; relative paths in them (data/, feeds.json) are relative to the working folder.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddAggregatorApi(builder.Configuration);
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new EntityTypeJsonConverter());
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
});

var app = builder.Build();
await app.PrepareAsync();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapOpenApi();
app.MapHealth();
app.MapFeeds();
app.MapStories();
app.MapEntities();
app.MapJobsDashboard();
app.Run();
