using System.Net;
using Aggregator.Core.Fetching;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Aggregator.Tests;

/// <summary>Fetching:AllowedNetworks opens named private ranges only; link-local and metadata addresses need a range of their own.</summary>
public sealed class NetworkGuardTests
{
    [Theory]
    [InlineData("127.0.0.0/8", "127.0.0.1", true)]
    [InlineData("127.0.0.0/8", "::ffff:127.0.0.1", true)]
    [InlineData("127.0.0.0/8", "10.0.0.1", false)]
    [InlineData("127.0.0.0/8", "::1", false)]
    [InlineData("0.0.0.0/0", "10.0.0.1", true)]
    [InlineData("0.0.0.0/0", "169.254.169.254", false)]   // a wide range does not name metadata
    [InlineData("0.0.0.0/0", "169.254.1.1", false)]       // nor link-local
    [InlineData("::/0", "fe80::1", false)]
    [InlineData("169.254.0.0/16", "169.254.1.1", true)]
    [InlineData("169.254.0.0/16", "169.254.169.254", false)] // the metadata address is a block of its own
    [InlineData("169.254.169.254/32", "169.254.169.254", true)]
    [InlineData("100.64.0.0/10", "100.100.100.200", false)]
    [InlineData("fe80::/10", "fe80::1%3", true)]
    [InlineData("10.0.0.0/8", "8.8.8.8", true)]          // public addresses need no range
    public void Allowed_networks_name_what_they_allow(string range, string address, bool allowed) =>
        Assert.Equal(allowed, new NetworkGuard(false, [range]).Allows(IPAddress.Parse(address)));

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("::1", true)]
    [InlineData("169.254.169.254", false)]
    [InlineData("169.254.170.2", false)]
    [InlineData("169.254.7.7", false)]
    [InlineData("fe80::1", false)]
    [InlineData("100.100.100.200", false)]
    public void Allowing_private_networks_still_refuses_link_local_and_metadata(string address, bool allowed) =>
        Assert.Equal(allowed, new NetworkGuard(true, []).Allows(IPAddress.Parse(address)));

    [Fact]
    public void A_range_that_is_not_cidr_is_refused_with_its_setting_named()
    {
        var error = Assert.Throws<ArgumentException>(() => new NetworkGuard(false, ["10.0.0.0/33"]));
        Assert.Contains("Fetching:AllowedNetworks", error.Message);
    }

    [Fact]
    public void The_service_does_not_start_with_a_range_that_is_not_cidr()
    {
        using var factory = new ApiFactory(new() { ["Fetching:AllowedNetworks:0"] = "localhost" });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Fetching:AllowedNetworks", error.ToString());
    }

    [Fact]
    public async Task A_redirect_keeping_a_scope_id_does_not_reach_ipv6_loopback()
    {
        // The feed server is allowed by its IPv4 address alone; the secret listens on [::1].
        await using var server = await LocalServer.StartAsync();
        await using var secret = await LocalServer.StartAsync("http://[::1]:0");
        secret.MapContent("/secret", "internal");
        var port = new Uri(secret.BaseUrl).Port;
        server.Map("/feed", context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = $"http://[::1%251]:{port}/secret";
            return Task.CompletedTask;
        });
        await using var pipeline = await Pipeline.CreateAsync(new() { ["Fetching:AllowedNetworks:0"] = "127.0.0.1/32" });

        var error = await Assert.ThrowsAsync<FetchException>(() => pipeline.Get<HttpFetcher>().FetchAsync(new Uri(server.Url("/feed")), FetchKind.Feed));

        Assert.Equal(FetchFailure.Blocked, error.Kind);
        Assert.Equal(0, secret.HitsOn("/secret"));
    }

    /// <summary>The local server plays the proxy: Kestrel reads a proxy request's absolute URL as its path.</summary>
    private static Task<Pipeline> ThroughProxyAsync(LocalServer proxy) => Pipeline.CreateAsync(new()
    {
        ["Fetching:Proxy"] = proxy.BaseUrl,
        ["Fetching:AllowedNetworks:0"] = "192.0.2.0/24", // not loopback: only the proxy may be reached there
    });

    [Fact]
    public async Task A_configured_proxy_carries_requests_to_public_destinations()
    {
        await using var proxy = await LocalServer.StartAsync();
        proxy.MapContent("/feed", "<rss version=\"2.0\"><channel><title>Via proxy</title></channel></rss>");
        await using var pipeline = await ThroughProxyAsync(proxy);

        var fetched = await pipeline.Get<HttpFetcher>().FetchAsync(new Uri("http://93.184.216.34/feed"), FetchKind.Feed);

        Assert.Contains("Via proxy", System.Text.Encoding.UTF8.GetString(fetched.Body));
        Assert.Equal(1, proxy.HitsOn("/feed"));
    }

    [Theory]
    [InlineData("http://10.9.9.9/feed")]
    [InlineData("http://127.0.0.1:9/feed")]
    [InlineData("http://169.254.169.254/feed")]
    [InlineData("http://[::1]/feed")]
    public async Task Through_a_proxy_a_private_destination_is_refused_before_sending(string url)
    {
        await using var proxy = await LocalServer.StartAsync();
        proxy.MapContent("/feed", "internal");
        await using var pipeline = await ThroughProxyAsync(proxy);

        var error = await Assert.ThrowsAsync<FetchException>(() => pipeline.Get<HttpFetcher>().FetchAsync(new Uri(url), FetchKind.Feed));

        Assert.Equal(FetchFailure.Blocked, error.Kind);
        Assert.Equal(0, proxy.HitsOn("/feed"));
    }

    [Fact]
    public async Task Through_a_proxy_every_redirect_hop_is_checked()
    {
        await using var proxy = await LocalServer.StartAsync();
        proxy.Map("/feed", context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "http://192.168.1.1/admin";
            return Task.CompletedTask;
        });
        proxy.MapContent("/admin", "internal");
        await using var pipeline = await ThroughProxyAsync(proxy);

        var error = await Assert.ThrowsAsync<FetchException>(() => pipeline.Get<HttpFetcher>().FetchAsync(new Uri("http://93.184.216.34/feed"), FetchKind.Feed));

        Assert.Equal(FetchFailure.Blocked, error.Kind);
        Assert.Equal((1, 0), (proxy.HitsOn("/feed"), proxy.HitsOn("/admin")));
    }
}
