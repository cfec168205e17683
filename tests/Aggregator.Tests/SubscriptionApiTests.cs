using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aggregator.Core.Ingestion;
using Aggregator.Core.Stores;
using Aggregator.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aggregator.Tests;

/// <summary>Subscribing and editing feeds as a feed reader's users expect: names from the feed, autodiscovery, clear errors.</summary>
public sealed class SubscriptionApiTests
{
    [Fact]
    public async Task Patch_names_a_field_it_does_not_know_or_cannot_change_and_edits_tags()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        var id = (await (await client.PostAsJsonAsync("/api/feeds", new { url = Unresolvable.Url("/rss"), name = "Mine", tags = new[] { "world" } }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        async Task<(HttpStatusCode Status, string? Detail)> PatchAsync(string body)
        {
            var response = await client.PatchAsync($"/api/feeds/{id}", new StringContent(body, Encoding.UTF8, "application/json"));
            var json = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (response.StatusCode, json.TryGetProperty("detail", out var detail) ? detail.GetString() : null);
        }

        Assert.Equal((HttpStatusCode.BadRequest, "'enabld' is not a field of a feed; PATCH changes name, intervalMinutes, enabled and tags."),
            await PatchAsync("""{"enabld": true}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "'url' cannot be changed: subscribe to the new URL and delete this feed (its stories stay)."),
            await PatchAsync("""{"url": "https://elsewhere.example.org/rss"}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "'enabled' must be true or false."), await PatchAsync("""{"enabled": "no"}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "'tags' must be a list of strings."), await PatchAsync("""{"tags": "world"}"""));
        var unchanged = await client.GetFromJsonAsync<JsonElement>($"/api/feeds/{id}");
        Assert.True(unchanged.GetProperty("enabled").GetBoolean()); // a refused patch changes nothing

        Assert.Equal(HttpStatusCode.OK, (await PatchAsync("""{"tags": ["europe", " central-asia ", "europe", ""], "enabled": false}""")).Status);
        var patched = await client.GetFromJsonAsync<JsonElement>($"/api/feeds/{id}");
        Assert.Equal(["europe", "central-asia"], patched.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.False(patched.GetProperty("enabled").GetBoolean());
        Assert.Equal("Mine", patched.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("{\"url\": ", "The body is not valid JSON (line 1, byte 9)")]
    [InlineData("{\"url\": \"https://a.example.org/\", \"intervalMinutes\": \"often\"}", "'intervalMinutes' must be a whole number.")]
    [InlineData("", "The request needs a JSON body.")]
    public async Task An_unreadable_body_answers_400_problem_json_saying_what_is_wrong_and_logs_no_error(string body, string detail)
    {
        var logs = new CapturedLogs();
        await using var factory = new ApiFactory();
        await using var api = factory.WithLogs(logs);

        var response = await api.CreateClient().PostAsync("/api/feeds", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith(detail, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task A_feed_added_without_a_name_is_named_after_its_own_title_and_a_given_name_stays()
    {
        await using var server = await LocalServer.StartAsync();
        server.MapContent("/world.xml", Fixtures.Read("feeds/world.rss.xml"));
        server.MapContent("/europe.xml", Fixtures.Read("feeds/europe.rss.xml"));
        await using var api = new ApiFactory();
        var client = api.CreateClient();

        var unnamed = await (await client.PostAsJsonAsync("/api/feeds", new { url = server.Url("/world.xml") })).Content.ReadFromJsonAsync<JsonElement>();
        var named = await (await client.PostAsJsonAsync("/api/feeds", new { url = server.Url("/europe.xml"), name = "My desk" })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("Example World News", unnamed.GetProperty("name").GetString());
        Assert.Equal("My desk", named.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_feed_that_could_not_be_fetched_when_added_takes_its_title_at_its_first_successful_poll()
    {
        await using var server = await LocalServer.StartAsync();
        server.Map("/world.xml", context => { context.Response.StatusCode = 503; return Task.CompletedTask; });
        await using var api = new ApiFactory(new() { ["Ingestion:FetchArticles"] = "false" });
        var client = api.CreateClient();
        var feeds = api.Services.GetRequiredService<IFeedStore>();
        var poller = api.Services.GetRequiredService<FeedPoller>();

        var id = (await (await client.PostAsJsonAsync("/api/feeds", new { url = server.Url("/world.xml") })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal("127.0.0.1", (await feeds.GetAsync(id))!.Name); // its host, for now
        await poller.PollAsync(id, force: true);
        Assert.Equal("127.0.0.1", (await feeds.GetAsync(id))!.Name);

        server.MapContent("/world.xml", Fixtures.Read("feeds/world.rss.xml"));
        await poller.PollAsync(id, force: true);
        Assert.Equal("Example World News", (await feeds.GetAsync(id))!.Name);
        await client.PatchAsJsonAsync($"/api/feeds/{id}", new { name = "Renamed" });
        await poller.PollAsync(id, force: true);
        Assert.Equal("Renamed", (await feeds.GetAsync(id))!.Name);
    }

    [Fact]
    public async Task An_html_page_that_advertises_feeds_subscribes_to_the_first_and_says_what_it_found()
    {
        await using var server = await LocalServer.StartAsync();
        server.MapContent("/news/", AdvertisingPage, "text/html; charset=utf-8");
        server.MapContent("/feeds/main.xml", Fixtures.Read("feeds/world.rss.xml"));
        server.MapContent("/feeds/europe.atom", Fixtures.Read("feeds/europe.rss.xml"));
        await using var api = new ApiFactory();
        var client = api.CreateClient();

        var response = await client.PostAsJsonAsync("/api/feeds", new { url = server.Url("/news/") });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var feed = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(server.Url("/feeds/main.xml"), feed.GetProperty("url").GetString());
        Assert.Equal("Example World News", feed.GetProperty("name").GetString());
        var discovery = feed.GetProperty("discovery");
        Assert.Equal(server.Url("/news/"), discovery.GetProperty("page").GetString());
        var found = discovery.GetProperty("feeds").EnumerateArray().ToList();
        Assert.Equal([server.Url("/feeds/main.xml"), server.Url("/feeds/europe.atom"), server.Url("/feeds/items.json")],
            found.Select(f => f.GetProperty("url").GetString()));
        Assert.Equal("Main stories", found[0].GetProperty("title").GetString());
        Assert.Equal(feed.GetProperty("id").GetInt64(), found[0].GetProperty("feedId").GetInt64());
        Assert.All(found.Skip(1), f => Assert.Equal(JsonValueKind.Null, f.GetProperty("feedId").ValueKind));
        Assert.Single(await api.Services.GetRequiredService<IFeedStore>().ListAsync());

        // The page again: what it leads to is there already.
        var again = await client.PostAsJsonAsync("/api/feeds", new { url = server.Url("/news/") });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(server.Url("/feeds/main.xml"), (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("feed").GetProperty("url").GetString());
    }

    [Fact]
    public async Task Asked_for_all_the_advertised_feeds_subscribes_to_each_and_a_page_without_any_is_refused()
    {
        await using var server = await LocalServer.StartAsync();
        server.MapContent("/news/", AdvertisingPage, "text/html; charset=utf-8");
        server.MapContent("/plain.html", Fixtures.ArticlePage("No feeds here", "A page that links to no feed at all, only to other pages."), "text/html");
        await using var api = new ApiFactory();
        var client = api.CreateClient();

        var all = await (await client.PostAsJsonAsync("/api/feeds", new { url = server.Url("/news/"), allFeeds = true })).Content.ReadFromJsonAsync<JsonElement>();
        var none = await client.PostAsJsonAsync("/api/feeds", new { url = server.Url("/plain.html") });

        var subscribed = (await api.Services.GetRequiredService<IFeedStore>().ListAsync()).Select(f => f.Url).Order().ToList();
        Assert.Equal([server.Url("/feeds/europe.atom"), server.Url("/feeds/items.json"), server.Url("/feeds/main.xml")], subscribed);
        Assert.All(all.GetProperty("discovery").GetProperty("feeds").EnumerateArray(), f => Assert.Equal(JsonValueKind.Number, f.GetProperty("feedId").ValueKind));
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("advertises no feed", (await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    /// <summary>A news site's front page: three feeds in its head (relative, absolute, through a base), the REST API link WordPress adds, and a link in the body that is no feed.</summary>
    private const string AdvertisingPage = """
        <!DOCTYPE html>
        <html><head><title>Example News</title>
          <base href="/feeds/">
          <link rel="stylesheet" href="/style.css">
          <link rel="alternate" type="application/rss+xml" title="Main stories" href="main.xml">
          <link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/7">
          <link rel="Alternate" type="application/atom+xml; charset=utf-8" title="Europe" href="europe.atom">
          <link rel="alternate" type="application/feed+json" href="items.json">
          <link rel="alternate" type="application/rss+xml" href="main.xml#again">
        </head><body><p>Front page.</p><link rel="alternate" type="application/rss+xml" href="/not-in-head.xml"></body></html>
        """;
}
