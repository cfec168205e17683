using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace Aggregator.Tests;

/// <summary>POST /api/tag costs CPU in proportion to its text: its own, stricter limits.</summary>
public sealed class TagLimitTests
{
    private static object Text => new { text = "Sergei Lavrov met Taliban envoys in Moscow." };

    [Fact]
    public async Task Tagging_has_its_own_stricter_bucket_and_other_endpoints_keep_theirs()
    {
        await using var api = new ApiFactory(new() { ["RateLimiting:TagBurst"] = "2", ["RateLimiting:TagPerMinute"] = "1" });
        var client = api.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) statuses.Add((await client.PostAsJsonAsync("/api/tag", Text)).StatusCode);
        var limited = await client.PostAsJsonAsync("/api/tag", Text);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Contains("texts to tag", (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/stories")).StatusCode);
    }

    [Fact]
    public async Task Taggings_at_once_from_all_clients_are_capped()
    {
        await using var factory = new ApiFactory(new() { ["RateLimiting:TagConcurrency"] = "1", ["RateLimiting:TagBurst"] = "1000" });
        // Kestrel drops a body slower than 240 bytes/s after 5 s: on a loaded machine the held one below can take that long.
        await using var api = factory.WithWebHostBuilder(b => b.ConfigureKestrel(o => o.Limits.MinRequestBodyDataRate = null));
        api.UseKestrel(0); // a real server, which runs a request while its body is still arriving
        var client = api.CreateClient();
        // A tagging whose body is still arriving holds its permit: two taggings at once, staged.
        using var held = new System.Net.Sockets.TcpClient();
        await held.ConnectAsync(client.BaseAddress!.Host, client.BaseAddress.Port);
        var stream = held.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /api/tag HTTP/1.1\r\nHost: local\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{\"text\":"));

        // Until the server has begun the held request (a loaded machine may take seconds to), others pass.
        HttpResponseMessage second;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do second = await client.PostAsJsonAsync("/api/tag", Text);
        while (second.StatusCode == HttpStatusCode.OK && DateTime.UtcNow < deadline && await Task.Delay(20).ContinueWith(_ => true));
        await stream.WriteAsync(Encoding.ASCII.GetBytes("\"Envoys met in Doha and Kabul.\"}".PadRight(31)));
        var answer = new byte[12];
        await stream.ReadExactlyAsync(answer);

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Contains("at once", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal("HTTP/1.1 200", Encoding.ASCII.GetString(answer));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/tag", Text)).StatusCode);
    }

    [Fact]
    public async Task A_body_larger_than_the_longest_text_needs_is_refused_unread()
    {
        await using var api = new ApiFactory();
        api.UseKestrel(0);
        var client = api.CreateClient();

        var response = await client.PostAsync("/api/tag", new StringContent(JsonSerializer.Serialize(new { text = new string('x', 400_000) }), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
