using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aggregator.Tests.Support;

/// <summary>
/// A real HTTP server on 127.0.0.1 and a free port, serving what the test registers: feeds, article pages, faults.
/// Counts requests per path so tests can prove what was (not) fetched.
/// </summary>
public sealed class LocalServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, RequestDelegate> _routes = new();
    public ConcurrentDictionary<string, int> Hits { get; } = new();

    private LocalServer(WebApplication app) => _app = app;

    /// <param name="url">Where to listen: loopback and a free port unless another is given.</param>
    public static async Task<LocalServer> StartAsync(string url = "http://127.0.0.1:0")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LocalServer(app);
        app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? "/";
            server.Hits.AddOrUpdate(path, 1, (_, n) => n + 1);
            if (server._routes.TryGetValue(path, out var handler)) await handler(context);
            else context.Response.StatusCode = 404;
        });
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return server;
    }

    public string BaseUrl { get; private set; } = "";

    public string Url(string path) => BaseUrl + path;

    public int HitsOn(string path) => Hits.TryGetValue(path, out var n) ? n : 0;

    public void Map(string path, RequestDelegate handler) => _routes[path] = handler;

    /// <summary>Serves a fixed body, with an ETag honoured on If-None-Match.</summary>
    public void MapContent(string path, string body, string contentType = "application/rss+xml; charset=utf-8", string? etag = null) =>
        Map(path, async context =>
        {
            if (etag is not null)
            {
                context.Response.Headers.ETag = etag;
                if (context.Request.Headers.IfNoneMatch == etag)
                {
                    context.Response.StatusCode = 304;
                    return;
                }
            }
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        });

    public void MapBytes(string path, byte[] body, string contentType) =>
        Map(path, async context =>
        {
            context.Response.ContentType = contentType;
            await context.Response.Body.WriteAsync(body);
        });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
