using System.IO.Compression;
using System.Net;
using System.Text;
using Aggregator.Core.Fetching;
using Aggregator.Core.Ingestion;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests;

/// <summary>Hostile and broken servers: each poll ends with a recorded error and back-off, and other feeds carry on.</summary>
public sealed class FaultTests
{
    private static Task<Pipeline> CreateAsync() => Pipeline.CreateAsync(new()
    {
        ["Fetching:Timeout"] = "00:00:01.500",
        ["Fetching:MaxFeedBytes"] = "65536",
        ["Ingestion:FetchArticles"] = "false",
        ["Ingestion:MaxItemsPerPoll"] = "5",
        ["Ingestion:MaxTextLength"] = "1000",
    });

    private static async Task<string> FailureOfAsync(Pipeline pipeline, LocalServer server, string path)
    {
        var feed = await pipeline.AddFeedAsync(server.Url(path));
        var report = await pipeline.PollAsync(feed);
        Assert.Equal(PollOutcome.Failed, report.Outcome);
        var health = (await pipeline.Feeds.GetAsync(feed.Id))!.Health;
        Assert.Equal(1, health.ConsecutiveFailures);
        Assert.True(health.NotBefore > DateTimeOffset.UtcNow);
        return health.LastError!;
    }

    [Theory]
    [InlineData(404, "HTTP 404")]
    [InlineData(410, "HTTP 410")]
    [InlineData(503, "HTTP 503")]
    public async Task Error_statuses_are_recorded(int status, string message)
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await CreateAsync();
        server.Map("/f", context => { context.Response.StatusCode = status; return Task.CompletedTask; });

        Assert.Contains(message, await FailureOfAsync(pipeline, server, "/f"));
    }

    [Fact]
    public async Task A_stalled_body_times_out()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await CreateAsync();
        server.Map("/stall", async context =>
        {
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync("<rss version=\"2.0\"><channel>");
            await context.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted);
        });

        Assert.Contains("Timed out", await FailureOfAsync(pipeline, server, "/stall"));
    }

    [Fact]
    public async Task An_endless_body_stops_at_the_size_cap()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await CreateAsync();
        server.Map("/endless", async context =>
        {
            context.Response.ContentType = "application/rss+xml";
            var chunk = Encoding.ASCII.GetBytes("<item><title>more</title></item>" + new string(' ', 4000));
            while (!context.RequestAborted.IsCancellationRequested) await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
        });

        Assert.Contains("larger than the cap", await FailureOfAsync(pipeline, server, "/endless"));
    }

    [Fact]
    public async Task A_gzip_bomb_is_counted_after_decompression()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await CreateAsync();
        var bomb = new MemoryStream();
        await using (var gzip = new GZipStream(bomb, CompressionLevel.SmallestSize, leaveOpen: true))
            for (var i = 0; i < 200; i++) await gzip.WriteAsync(new byte[1024 * 1024]); // 200 MB of zeros, ~200 KB on the wire
        var compressed = bomb.ToArray();
        server.Map("/bomb", async context =>
        {
            context.Response.ContentType = "application/rss+xml";
            context.Response.Headers.ContentEncoding = "gzip";
            await context.Response.Body.WriteAsync(compressed);
        });

        Assert.Contains("larger than the cap", await FailureOfAsync(pipeline, server, "/bomb"));
    }

    [Fact]
    public async Task Truncated_gzip_is_an_error_not_a_crash()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await CreateAsync();
        var body = new MemoryStream();
        await using (var gzip = new GZipStream(body, CompressionLevel.Optimal, leaveOpen: true))
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(Fixtures.Rss("T", new Fixtures.Item("1", "Title", "http://example.org/1", new string('a', 5000)))));
        var truncated = body.ToArray()[..(int)(body.Length / 2)];
        server.Map("/truncated", async context =>
        {
            context.Response.ContentType = "application/rss+xml";
            context.Response.Headers.ContentEncoding = "gzip";
            await context.Response.Body.WriteAsync(truncated);
        });

        var error = await FailureOfAsync(pipeline, server, "/truncated");

        Assert.True(error.Contains("not well-formed") || error.Contains("Network error") || error.Contains("decompressed"), error);
    }

    [Fact]
    public async Task Redirect_loops_stop_after_five_hops()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await CreateAsync();
        server.Map("/loop", context => { context.Response.Redirect("/loop"); return Task.CompletedTask; });

        Assert.Contains("redirect", await FailureOfAsync(pipeline, server, "/loop"));
        Assert.Equal(6, server.HitsOn("/loop"));
    }

    [Fact]
    public async Task An_enormous_item_is_capped_and_items_beyond_the_limit_wait_for_the_next_poll()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync(new() { ["Ingestion:FetchArticles"] = "false", ["Ingestion:MaxItemsPerPoll"] = "5", ["Ingestion:MaxTextLength"] = "1000" });
        var items = Enumerable.Range(0, 8).Select(n => new Fixtures.Item($"{n}", $"Item {n}", $"http://example.org/{n}", n == 0 ? new string('w', 3_000_000) : $"Body {n}")).ToArray();
        server.MapContent("/big", Fixtures.Rss("Big", items), etag: "\"v1\"");
        var feed = await pipeline.AddFeedAsync(server.Url("/big"));

        var first = await pipeline.PollAsync(feed);
        var second = await pipeline.PollAsync(feed);
        var third = await pipeline.PollAsync(feed);

        Assert.Equal((8, 5, 0, 3), (first.Items, first.Stored, first.Duplicates, first.Deferred));
        // The rest of the back catalogue comes with the next poll, which is not answered 304 while items wait.
        Assert.Equal((PollOutcome.Ingested, 8, 3, 5, 0), (second.Outcome, second.Items, second.Stored, second.Duplicates, second.Deferred));
        Assert.Equal(PollOutcome.NotModified, third.Outcome);
        Assert.Equal(8, (await pipeline.AllStoriesAsync()).Count);
        var big = (await pipeline.Stories.GetAsync((await pipeline.AllStoriesAsync()).Single(s => s.Title == "Item 0").Id))!;
        Assert.Equal(1000, big.Text.Length);
    }

    [Fact]
    public async Task Mislabelled_encodings_are_read_as_what_the_bytes_are()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync(new() { ["Ingestion:FetchArticles"] = "false" });
        var xml = Fixtures.Rss("T", new Fixtures.Item("1", "Café in Zürich", "http://example.org/1", "Crème"));
        server.MapBytes("/utf8-labelled-latin1", Encoding.UTF8.GetBytes(xml), "application/rss+xml; charset=iso-8859-1");
        server.MapBytes("/latin1-labelled-utf8", Encoding.Latin1.GetBytes(xml.Replace("utf-8", "iso-8859-1")), "application/rss+xml; charset=utf-8");
        server.MapBytes("/unknown-charset", Encoding.UTF8.GetBytes(xml), "application/rss+xml; charset=no-such-charset");

        foreach (var path in new[] { "/utf8-labelled-latin1", "/latin1-labelled-utf8", "/unknown-charset" })
        {
            await using var each = await Pipeline.CreateAsync(new() { ["Ingestion:FetchArticles"] = "false" });
            var report = await each.PollAsync(await each.AddFeedAsync(server.Url(path)));
            Assert.Equal(1, report.Stored);
            Assert.Equal("Café in Zürich", (await each.AllStoriesAsync())[0].Title);
        }
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.20.0.1", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("2002:c0a8:0101::1", false)]
    [InlineData("::1%1", false)]                 // a scope id does not make loopback public
    [InlineData("::%1", false)]
    [InlineData("fe80::1%2", false)]
    [InlineData("::8.8.8.8", false)]              // IPv4-compatible (deprecated)
    [InlineData("::ffff:0:8.8.8.8", false)]       // IPv4-translated
    [InlineData("2001::1", false)]                // Teredo
    [InlineData("2001:2::1", false)]              // benchmarking
    [InlineData("100::1", false)]                 // discard-only
    [InlineData("2001:db8::1", false)]            // documentation
    [InlineData("3fff::1", false)]
    [InlineData("64:ff9b:1::a00:1", false)]       // local-use NAT64
    [InlineData("5f00::1", false)]                // SRv6
    [InlineData("fec0::1", false)]                // site-local
    [InlineData("192.0.2.1", false)]              // TEST-NET-1
    [InlineData("198.51.100.7", false)]           // TEST-NET-2
    [InlineData("203.0.113.9", false)]            // TEST-NET-3
    [InlineData("192.88.99.1", false)]            // 6to4 relay anycast (deprecated)
    [InlineData("240.0.0.1", false)]
    [InlineData("168.63.129.16", false)]          // Azure WireServer
    [InlineData("fd00:ec2::254", false)]          // AWS metadata over IPv6
    [InlineData("64:ff9b::808:808", true)]        // NAT64 of 8.8.8.8
    [InlineData("2002:808:808::1", true)]         // 6to4 of 8.8.8.8
    [InlineData("93.184.216.34", true)]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("::ffff:8.8.8.8", true)]
    public void Only_public_addresses_are_allowed(string address, bool allowed) =>
        Assert.Equal(allowed, NetworkGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://127.0.0.1:9/feed")]
    [InlineData("http://localhost:9/feed")]
    [InlineData("http://[::1]:9/feed")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    public async Task Private_targets_are_refused_before_any_connection(string url)
    {
        await using var pipeline = await Pipeline.CreateAsync(new() { ["Fetching:AllowedNetworks:0"] = "192.0.2.0/24" });

        var error = await Assert.ThrowsAsync<FetchException>(() => pipeline.Get<HttpFetcher>().FetchAsync(new Uri(url), FetchKind.Feed));

        Assert.Equal(FetchFailure.Blocked, error.Kind);
    }
}
