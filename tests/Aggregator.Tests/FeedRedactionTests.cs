using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aggregator.Core.Feeds;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Aggregator.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Tests;

/// <summary>Readers without the key see feeds without credentials and without internal host names.</summary>
public sealed class FeedRedactionTests
{
    [Theory]
    [InlineData("https://user:pw@feeds.example.org/rss", "https://feeds.example.org/rss")]
    [InlineData("https://feeds.example.org/rss?token=s3cret&lang=en", "https://feeds.example.org/rss?token=***&lang=en")]
    [InlineData("https://feeds.example.org/rss?api_key=1&apikey=2&sig=3&page=4", "https://feeds.example.org/rss?api_key=***&apikey=***&sig=***&page=4")]
    [InlineData("https://feeds.example.org:8443/rss", "https://feeds.example.org:8443/rss")]
    public void Urls_lose_their_credentials(string url, string shown) => Assert.Equal(shown, FeedRedaction.Url(url));

    [Theory]
    [InlineData("Network error: Name or service not known (intranet.corp.local:80)", "Network error: Name or service not known ([host]:80)")]
    [InlineData("Refused to connect to wiki.internal (10.1.2.3, fd00::7): it is not a public address", "Refused to connect to [host] ([address], [address]): it is not a public address")]
    [InlineData("Network error: Connection refused (127.0.0.1:9)", "Network error: Connection refused ([address]:9)")]
    [InlineData("HTTP 404 Not Found", "HTTP 404 Not Found")]
    [InlineData("Timed out after 1.5 s.", "Timed out after 1.5 s.")]
    [InlineData("The poll started at 2026-12-02 01:40:25Z has not finished", "The poll started at 2026-12-02 01:40:25Z has not finished")]
    [InlineData("feeds.example.org answered HTTP 500; see http://admin:pw@feeds.example.org/", "feeds.example.org answered HTTP 500; see http://feeds.example.org/")]
    public void Errors_lose_other_hosts(string error, string shown) =>
        Assert.Equal(shown, FeedRedaction.Error(error, "https://feeds.example.org/rss"));

    [Fact]
    public async Task The_feed_list_shows_operators_everything_and_readers_the_redacted_view()
    {
        await using var api = new ApiFactory(new() { ["Api:Key"] = "operator-key" });
        var reader = api.CreateClient();
        var operatorClient = api.CreateClient();
        operatorClient.DefaultRequestHeaders.Add("X-Api-Key", "operator-key");
        var created = await operatorClient.PostAsJsonAsync("/api/feeds", new { url = "https://bob:hunter2@feeds.example.org/rss?token=abc" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var store = api.Services.GetRequiredService<IFeedStore>();
        await store.RecordHealthAsync(id, new FeedHealth { LastAttemptAt = DateTimeOffset.UtcNow, LastError = "Network error: Connection refused (db.internal.corp:5432)", ConsecutiveFailures = 1 });

        var full = (await operatorClient.GetFromJsonAsync<JsonElement>("/api/feeds"))[0];
        var listed = await reader.GetAsync("/api/feeds");
        var shown = (await listed.Content.ReadFromJsonAsync<JsonElement>())[0];
        var one = await reader.GetFromJsonAsync<JsonElement>($"/api/feeds/{id}");
        var opml = await reader.GetStringAsync("/api/feeds/opml");

        Assert.Equal("https://bob:hunter2@feeds.example.org/rss?token=abc", full.GetProperty("url").GetString());
        Assert.Contains("db.internal.corp", full.GetProperty("health").GetProperty("lastError").GetString());
        Assert.Equal("https://feeds.example.org/rss?token=***", shown.GetProperty("url").GetString());
        Assert.Equal("Network error: Connection refused ([host]:5432)", shown.GetProperty("health").GetProperty("lastError").GetString());
        Assert.Equal(shown.GetProperty("url").GetString(), one.GetProperty("url").GetString());
        Assert.DoesNotContain("hunter2", opml);
        Assert.DoesNotContain("abc", opml);
        Assert.Contains("X-Api-Key", listed.Headers.Vary);
        // An operator's cached copy is never confirmed to a reader as current.
        var operatorTag = (await operatorClient.GetAsync("/api/feeds")).Headers.ETag!;
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/feeds");
        request.Headers.IfNoneMatch.Add(operatorTag);
        Assert.Equal(HttpStatusCode.OK, (await reader.SendAsync(request)).StatusCode);
    }
}
