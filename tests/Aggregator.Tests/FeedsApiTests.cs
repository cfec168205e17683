using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aggregator.Tests.Support;

namespace Aggregator.Tests;

public sealed class FeedsApiTests
{
    [Fact]
    public async Task Feeds_are_created_validated_changed_and_deleted()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();

        // A subscription fetches its URL once: hosts that never resolve keep these tests on this machine.
        var created = await client.PostAsJsonAsync("/api/feeds", new { url = $"HTTPS://{Unresolvable.Host.ToUpperInvariant()}:443/rss#top", name = "Example", intervalMinutes = 30 });
        var duplicate = await client.PostAsJsonAsync("/api/feeds", new { url = Unresolvable.Url("/rss") });
        var invalid = await client.PostAsJsonAsync("/api/feeds", new { url = "ftp://example.org/rss" });
        var badInterval = await client.PostAsJsonAsync("/api/feeds", new { url = Unresolvable.Url("/other"), intervalMinutes = 0 });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var feed = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Unresolvable.Url("/rss"), feed.GetProperty("url").GetString());
        Assert.Equal(30, feed.GetProperty("intervalMinutes").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("application/problem+json", duplicate.Content.Headers.ContentType?.MediaType);
        var conflict = await duplicate.Content.ReadFromJsonAsync<JsonElement>();
        var id = feed.GetProperty("id").GetInt64();
        Assert.Equal($"Feed {id} ({Unresolvable.Url("/rss")}) is already subscribed.", conflict.GetProperty("detail").GetString());
        Assert.Equal(id, conflict.GetProperty("feed").GetProperty("id").GetInt64());
        Assert.Equal(Unresolvable.Url("/rss"), conflict.GetProperty("feed").GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);
        Assert.Contains("http or https", await invalid.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badInterval.StatusCode);

        var patched = await client.PatchAsJsonAsync($"/api/feeds/{id}", new { name = "Renamed", enabled = false });
        Assert.Equal("Renamed", (await patched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        var one = await client.GetFromJsonAsync<JsonElement>($"/api/feeds/{id}");
        Assert.False(one.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, one.GetProperty("health").GetProperty("nextPollAt").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/feeds/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/feeds/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/feeds/{id}")).StatusCode);
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/api/feeds")).GetArrayLength());
    }

    [Fact]
    public async Task Opml_round_trip_reports_added_present_and_invalid()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        var present = Unresolvable.Url("/present");
        await client.PostAsJsonAsync("/api/feeds", new { url = present });
        var opml = $"""
            <?xml version="1.0"?>
            <opml version="2.0"><head><title>Mine</title></head><body>
              <outline text="News">
                <outline text="One" title="One" type="rss" xmlUrl="https://one.example.org/rss"/>
                <outline text="Present" type="rss" xmlUrl="{present}"/>
              </outline>
              <outline text="Bad" type="rss" xmlUrl="javascript:alert(1)"/>
            </body></opml>
            """;

        var response = await client.PostAsync("/api/feeds/opml", new StringContent(opml, Encoding.UTF8, "text/x-opml"));
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        var exported = await client.GetStringAsync("/api/feeds/opml");
        var broken = await client.PostAsync("/api/feeds/opml", new StringContent("<not-opml/>", Encoding.UTF8, "text/xml"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("One", report.GetProperty("added")[0].GetProperty("name").GetString());
        Assert.Equal(1, report.GetProperty("alreadyPresent").GetArrayLength());
        Assert.Equal("javascript:alert(1)", report.GetProperty("invalid")[0].GetProperty("url").GetString());
        Assert.Contains("xmlUrl=\"https://one.example.org/rss\"", exported);
        Assert.Contains($"xmlUrl=\"{present}\"", exported);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
    }

    [Fact]
    public async Task Restarting_with_the_seed_file_never_duplicates_feeds_nor_revives_deleted_ones()
    {
        var directory = Path.Combine(Path.GetTempPath(), "aggregator-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "feeds.json"), """
            [ { "name": "A", "url": "https://a.example.org/rss", "intervalMinutes": 10, "tags": ["x"] },
              { "name": "B", "url": "https://b.example.org/rss" } ]
            """);
        long deletedId;
        await using (var first = new ApiFactory(directory: directory))
        {
            var feeds = await first.CreateClient().GetFromJsonAsync<JsonElement>("/api/feeds");
            Assert.Equal(2, feeds.GetArrayLength());
            Assert.Equal(10, feeds[0].GetProperty("intervalMinutes").GetInt32());
            deletedId = feeds[1].GetProperty("id").GetInt64();
            await first.CreateClient().DeleteAsync($"/api/feeds/{deletedId}");
        }
        await using var second = new ApiFactory(directory: directory);
        var after = await second.CreateClient().GetFromJsonAsync<JsonElement>("/api/feeds");
        Assert.Equal(1, after.GetArrayLength());
        Assert.Equal("https://a.example.org/rss", after[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task Operator_endpoints_need_the_key_when_one_is_configured()
    {
        await using var api = new ApiFactory(new() { ["Api:Key"] = "s3cret" });
        var client = api.CreateClient();

        var without = await client.PostAsJsonAsync("/api/feeds", new { url = Unresolvable.Url("/rss") });
        client.DefaultRequestHeaders.Add("X-Api-Key", "s3cret");
        var with = await client.PostAsJsonAsync("/api/feeds", new { url = Unresolvable.Url("/rss") });

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal("application/problem+json", without.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Created, with.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.CreateClient().GetAsync("/api/feeds")).StatusCode); // reads stay open
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task Reads_can_require_the_key_too()
    {
        await using var api = new ApiFactory(new() { ["Api:Key"] = "k3y", ["Api:RequireKeyForReads"] = "true" });
        var client = api.CreateClient();

        var without = await client.GetAsync("/api/stories");
        var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/entities");
        bearer.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "k3y");
        var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/feeds");
        wrong.Headers.Add("X-Api-Key", "k3y-but-longer");

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(bearer)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrong)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode); // health stays open for orchestrators
    }

    [Fact]
    public async Task Malformed_json_answers_problem_json()
    {
        await using var api = new ApiFactory();
        var response = await api.CreateClient().PostAsync("/api/feeds", new StringContent("{\"url\": ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
