using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Aggregator.Nlp;
using Aggregator.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Tests;

/// <summary>Entity queries, trends, stats and cheap polling, on stories stored with known mentions and times.</summary>
public sealed class AnalyticsApiTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    /// <summary>Stores a story published at <paramref name="published"/> mentioning the given (name, type) entities.</summary>
    private static async Task<long> StoryAsync(ApiFactory api, DateTimeOffset published, params (string Name, EntityType Type)[] entities)
    {
        var services = api.Services;
        var (feed, _) = await services.GetRequiredService<IFeedStore>().AddAsync(new FeedDefinition("https://example.org/rss", "Example"), true);
        var n = Interlocked.Increment(ref _counter);
        var text = string.Join(" and ", entities.Select(e => e.Name)) + $" were in the news (story {n}).";
        var mentions = new List<StoryMention>();
        var position = 0;
        foreach (var (name, type) in entities)
        {
            var start = text.IndexOf(name, position, StringComparison.Ordinal);
            mentions.Add(new StoryMention(StoryField.Text, start, start + name.Length, type, name, name));
            position = start + name.Length;
        }
        var (id, _) = await services.GetRequiredService<IStoryStore>().SaveAsync(new NewStory
        {
            FeedId = feed.Id, Guid = $"g{n}", Title = $"Story {n}", Link = $"https://example.org/{n}", Published = published,
            Text = text, Extraction = ExtractionStatus.Extracted, ContentHash = $"h{n}", Mentions = mentions, TaggerVersion = "test",
        });
        return id;
    }

    private static int _counter;

    private static async Task<long> EntityIdAsync(HttpClient client, string name) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/entities?q={Uri.EscapeDataString(name)}")).EnumerateArray()
        .Single(e => e.GetProperty("name").GetString() == name).GetProperty("id").GetInt64();

    [Fact]
    public async Task Entity_page_has_aliases_counts_series_cooccurrences_and_latest_stories()
    {
        await using var api = new ApiFactory();
        var kabul = ("Kabul", EntityType.Location);
        var taliban = ("Taliban", EntityType.Organization);
        for (var day = 1; day <= 5; day++) await StoryAsync(api, Now.AddDays(-day), kabul, taliban);
        await StoryAsync(api, Now.AddDays(-1).AddHours(-1), kabul);
        var client = api.CreateClient();
        var id = await EntityIdAsync(client, "Kabul");

        var page = await client.GetFromJsonAsync<JsonElement>($"/api/entities/{id}?interval=day&from={Now.AddDays(-10):yyyy-MM-dd}");

        Assert.Equal("LOCATION", page.GetProperty("type").GetString());
        Assert.Equal(6, page.GetProperty("stories").GetInt64());
        Assert.Contains("Kabul", page.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        var series = page.GetProperty("series").EnumerateArray().ToList();
        Assert.True(series.Count >= 10);
        Assert.Equal(6, series.Sum(p => p.GetProperty("stories").GetInt64()));
        var together = page.GetProperty("cooccurrences")[0];
        Assert.Equal(("Taliban", 5), (together.GetProperty("name").GetString(), together.GetProperty("stories").GetInt32()));
        Assert.Equal(6, page.GetProperty("latest").GetArrayLength());
        Assert.True(page.GetProperty("firstSeen").GetDateTimeOffset() < page.GetProperty("lastSeen").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/entities/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/entities/{id}?interval=week")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/entities/{id}?from=someday")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/entities/{id}?interval=hour&from=2000-01-01")).StatusCode);
    }

    [Fact]
    public async Task Lift_corrects_for_sheer_frequency()
    {
        await using var api = new ApiFactory();
        var moscow = ("Moscow", EntityType.Location);
        var lavrov = ("Sergei Lavrov", EntityType.Person);
        var un = ("United Nations", EntityType.Organization);
        for (var i = 0; i < 4; i++) await StoryAsync(api, Now.AddHours(-i - 1), lavrov, moscow, un);
        for (var i = 0; i < 16; i++) await StoryAsync(api, Now.AddHours(-i - 10), un);
        var client = api.CreateClient();
        var id = await EntityIdAsync(client, "Sergei Lavrov");

        var list = (await client.GetFromJsonAsync<JsonElement>($"/api/entities/{id}/cooccurrences")).EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => (Stories: e.GetProperty("stories").GetInt32(), Lift: e.GetProperty("lift").GetDouble()));
        var people = await client.GetFromJsonAsync<JsonElement>($"/api/entities/{id}/cooccurrences?type=PERSON");

        Assert.Equal(4, list["Moscow"].Stories);
        Assert.Equal(4, list["United Nations"].Stories);
        Assert.True(list["Moscow"].Lift > list["United Nations"].Lift); // the UN is everywhere; Moscow only with Lavrov
        Assert.Equal(5.0, list["Moscow"].Lift, 3);                     // 4 * 20 / (4 * 4)
        Assert.Equal(0, people.GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/entities/{id}/cooccurrences?limit=0")).StatusCode);
    }

    [Fact]
    public async Task Cooccurrences_count_stories_not_mentions_within_the_range_and_by_type()
    {
        await using var api = new ApiFactory();
        var lavrov = ("Sergei Lavrov", EntityType.Person);
        var moscow = ("Moscow", EntityType.Location);
        var un = ("United Nations", EntityType.Organization);
        var putin = ("Vladimir Putin", EntityType.Person);
        await StoryAsync(api, Now.AddHours(-1), lavrov, moscow, moscow); // Moscow twice: still one story
        for (var i = 0; i < 2; i++) await StoryAsync(api, Now.AddHours(-2 - i), lavrov, moscow);
        for (var i = 0; i < 2; i++) await StoryAsync(api, Now.AddHours(-5 - i), lavrov, un);
        for (var i = 0; i < 5; i++) await StoryAsync(api, Now.AddHours(-10 - i), un);
        for (var i = 0; i < 2; i++) await StoryAsync(api, Now.AddDays(-20 - i), lavrov, putin); // before the range
        var client = api.CreateClient();
        var id = await EntityIdAsync(client, "Sergei Lavrov");
        var range = $"from={Now.AddDays(-2):O}&to={Now:O}".Replace("+", "%2B");

        var inRange = (await client.GetFromJsonAsync<JsonElement>($"/api/entities/{id}/cooccurrences?{range}")).EnumerateArray()
            .Select(e => (e.GetProperty("name").GetString(), e.GetProperty("stories").GetInt32(), e.GetProperty("lift").GetDouble())).ToList();
        var organizations = (await client.GetFromJsonAsync<JsonElement>($"/api/entities/{id}/cooccurrences?{range}&type=ORGANIZATION")).EnumerateArray()
            .Select(e => e.GetProperty("name").GetString()).ToList();
        var allTime = (await client.GetFromJsonAsync<JsonElement>($"/api/entities/{id}/cooccurrences")).EnumerateArray()
            .Select(e => (e.GetProperty("name").GetString(), e.GetProperty("stories").GetInt32())).ToList();

        // 10 stories in the range, 5 of them Lavrov's; Moscow has 3 of 12 stories overall, the UN 7, scaled to the range.
        Assert.Equal([("Moscow", 3, 2.4), ("United Nations", 2, 0.686)], inRange); // 3*10/(5*2.5), 2*10/(5*(7*10/12))
        Assert.Equal(["United Nations"], organizations);
        Assert.Equal([("Moscow", 3), ("United Nations", 2), ("Vladimir Putin", 2)], allTime);
    }

    [Fact]
    public async Task Series_puts_each_story_in_its_bucket_including_part_hours_at_both_ends_and_follows_retagging()
    {
        await using var api = new ApiFactory();
        var kabul = ("Kabul", EntityType.Location);
        var hour = new DateTimeOffset(Now.Year, Now.Month, Now.Day, Now.Hour, 0, 0, TimeSpan.Zero).AddHours(-10);
        await StoryAsync(api, hour.AddMinutes(5), kabul);                // before the range
        var twice = await StoryAsync(api, hour.AddMinutes(50), kabul, kabul);
        var moved = await StoryAsync(api, hour.AddMinutes(70), kabul);
        await StoryAsync(api, hour.AddMinutes(239), kabul);
        await StoryAsync(api, hour.AddMinutes(241), kabul);
        await StoryAsync(api, hour.AddMinutes(250), kabul);              // after the range
        var entities = api.Services.GetRequiredService<IEntityStore>();
        var stories = api.Services.GetRequiredService<IStoryStore>();
        var id = await EntityIdAsync(api.CreateClient(), "Kabul");
        Task<IReadOnlyList<SeriesPoint>> HourlyAsync() => entities.SeriesAsync(id, hour.AddMinutes(30), hour.AddMinutes(245), SeriesInterval.Hour);
        Task<IReadOnlyList<SeriesPoint>> DailyAsync() => entities.SeriesAsync(id, hour.AddDays(-2), Now, SeriesInterval.Day);

        var hourly = await HourlyAsync();
        var daily = await DailyAsync();
        await stories.ReplaceTagsAsync(twice, new StoryTags([], "test"));
        await stories.ReplaceTagsAsync(moved, new StoryTags([new StoryMention(StoryField.Text, 0, 5, EntityType.Location, "Herat", "Herat")], "test"));
        var (hourlyRetagged, dailyRetagged) = (await HourlyAsync(), await DailyAsync());

        Assert.Equal(hour, hourly[0].Time);
        Assert.Equal([(2, 1), (1, 1), (0, 0), (1, 1), (1, 1)], hourly.Select(p => (p.Mentions, p.Stories)));
        Assert.Equal((7, 6), (daily.Sum(p => p.Mentions), daily.Sum(p => p.Stories)));
        Assert.Equal([(0, 0), (0, 0), (0, 0), (1, 1), (1, 1)], hourlyRetagged.Select(p => (p.Mentions, p.Stories)));
        Assert.Equal((4, 4), (dailyRetagged.Sum(p => p.Mentions), dailyRetagged.Sum(p => p.Stories)));
    }

    [Fact]
    public async Task Trends_rank_a_sustained_surge_above_a_new_name_and_a_steady_one()
    {
        await using var api = new ApiFactory();
        var surge = ("Sahel", EntityType.Location);
        var newcomer = ("Newcomer Group", EntityType.Organization);
        var steady = ("World Bank", EntityType.Organization);
        for (var day = 1; day <= 7; day++)
        {
            for (var i = 0; i < 2; i++) await StoryAsync(api, Now.AddDays(-day).AddHours(-i - 1), surge);
            for (var i = 0; i < 6; i++) await StoryAsync(api, Now.AddDays(-day).AddHours(-i - 1), steady);
        }
        for (var i = 0; i < 20; i++) await StoryAsync(api, Now.AddMinutes(-30 * i - 5), surge);
        for (var i = 0; i < 3; i++) await StoryAsync(api, Now.AddHours(-i - 1), newcomer);
        for (var i = 0; i < 6; i++) await StoryAsync(api, Now.AddHours(-2 * i - 1), steady);
        var client = api.CreateClient();

        var trends = (await client.GetFromJsonAsync<JsonElement>("/api/trends?window=24h")).EnumerateArray().ToList();
        var names = trends.Select(t => t.GetProperty("name").GetString()).ToList();

        Assert.Equal("Sahel", names[0]);
        Assert.Equal(20, trends[0].GetProperty("windowCount").GetInt32());
        Assert.Equal(2.0, trends[0].GetProperty("baselineRate").GetDouble(), 3);
        Assert.Equal(3, trends[0].GetProperty("evidence").GetArrayLength());
        Assert.True(names.IndexOf("Newcomer Group") > 0);
        Assert.DoesNotContain("World Bank", names); // as many as usual: no rise
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/trends?window=10y")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/trends?type=PLANET")).StatusCode);
    }

    [Fact]
    public async Task Stats_count_stories_feeds_entities_and_failures()
    {
        await using var api = new ApiFactory();
        await StoryAsync(api, Now.AddDays(-3), ("Kabul", EntityType.Location));
        await StoryAsync(api, Now.AddDays(-2), ("Doha", EntityType.Location));
        var stats = await api.CreateClient().GetFromJsonAsync<JsonElement>("/api/stats");

        Assert.Equal((2, 1, 2, 0), (stats.GetProperty("stories").GetInt32(), stats.GetProperty("feeds").GetInt32(),
            stats.GetProperty("entities").GetInt32(), stats.GetProperty("failingFeeds").GetInt32()));
        var perHour = stats.GetProperty("perHour").EnumerateArray().ToList();
        Assert.Equal(48, perHour.Count);
        Assert.Equal(2, perHour[^1].GetProperty("stories").GetInt32()); // stored just now, whatever their publication date
    }

    [Fact]
    public async Task Unchanged_lists_answer_304_until_something_changes()
    {
        await using var api = new ApiFactory();
        await StoryAsync(api, Now.AddHours(-1), ("Kabul", EntityType.Location));
        var client = api.CreateClient();

        foreach (var path in new[] { "/api/stories?limit=5", "/api/entities", "/api/feeds", "/api/trends", "/api/stats" })
        {
            var first = await client.GetAsync(path);
            var etag = first.Headers.ETag;
            Assert.NotNull(etag);
            var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(etag);
            var cached = await client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
            Assert.Empty(await cached.Content.ReadAsByteArrayAsync());
        }

        var before = (await client.GetAsync("/api/stories")).Headers.ETag!;
        await StoryAsync(api, Now, ("Doha", EntityType.Location));
        var check = new HttpRequestMessage(HttpMethod.Get, "/api/stories");
        check.Headers.IfNoneMatch.Add(before);
        var changed = await client.SendAsync(check);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(before, changed.Headers.ETag);
        Assert.NotNull(changed.Content.Headers.LastModified);
    }

    [Fact]
    public async Task Since_returns_only_stories_stored_after_the_token()
    {
        await using var api = new ApiFactory();
        await StoryAsync(api, Now.AddHours(-3), ("Kabul", EntityType.Location));
        var client = api.CreateClient();
        var since = (await client.GetFromJsonAsync<JsonElement>("/api/stories")).GetProperty("since").GetString();

        var older = await StoryAsync(api, Now.AddDays(-30), ("Doha", EntityType.Location)); // stored now, published long ago
        var newer = await StoryAsync(api, Now, ("Tashkent", EntityType.Location));
        var delta = await client.GetFromJsonAsync<JsonElement>($"/api/stories?since={since}");
        var after = await client.GetFromJsonAsync<JsonElement>($"/api/stories?since={delta.GetProperty("since").GetString()}");

        Assert.Equal([older, newer], delta.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        Assert.Equal(0, after.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/stories?since=bogus")).StatusCode);
    }

    [Fact]
    public async Task Several_entity_filters_match_all_or_any()
    {
        await using var api = new ApiFactory();
        await StoryAsync(api, Now.AddHours(-1), ("Kabul", EntityType.Location), ("Taliban", EntityType.Organization));
        await StoryAsync(api, Now.AddHours(-2), ("Kabul", EntityType.Location));
        await StoryAsync(api, Now.AddHours(-3), ("Taliban", EntityType.Organization));
        var client = api.CreateClient();
        var kabul = await EntityIdAsync(client, "Kabul");

        var all = await client.GetFromJsonAsync<JsonElement>("/api/stories?entity=kabul&entity=TALIBAN");
        var any = await client.GetFromJsonAsync<JsonElement>("/api/stories?entity=kabul&entity=taliban&match=any");
        var byId = await client.GetFromJsonAsync<JsonElement>($"/api/stories?entity={kabul}");

        Assert.Equal(1, all.GetProperty("items").GetArrayLength());
        Assert.Equal(3, any.GetProperty("items").GetArrayLength());
        Assert.Equal(2, byId.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/stories?entity=kabul&match=some")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/stories?entity=kabul&type=PERSON")).StatusCode);
    }

    [Fact]
    public async Task Clients_over_their_rate_get_429_with_retry_after()
    {
        await using var api = new ApiFactory(new() { ["RateLimiting:Burst"] = "3", ["RateLimiting:PerSecond"] = "1" });
        var client = api.CreateClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 6; i++)
        {
            var response = await client.GetAsync("/api/feeds");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited = response;
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.NotNull(limited!.Headers.RetryAfter);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode); // health is never limited
    }

    [Fact]
    public async Task The_stream_pushes_new_stories_as_server_sent_events()
    {
        await using var api = new ApiFactory(new() { ["Stream:PollInterval"] = "00:00:00.100" });
        var client = api.CreateClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await client.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Equal(": connected", await reader.ReadLineAsync(timeout.Token));

        var id = await StoryAsync(api, Now, ("Sergei Lavrov", EntityType.Person));
        string? line;
        do line = await reader.ReadLineAsync(timeout.Token); while (line is not null && !line.StartsWith("data: "));

        var data = JsonDocument.Parse(line!["data: ".Length..]).RootElement;
        Assert.Equal(id, data.GetProperty("id").GetInt64());
        Assert.Equal("PERSON", data.GetProperty("entities")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task The_api_describes_itself()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var docs = await client.GetAsync("/docs");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/api/stories", "/api/stories/{id}", "/api/entities", "/api/entities/{id}", "/api/entities/{id}/cooccurrences", "/api/trends", "/api/stats", "/api/feeds", "/api/tag" })
            Assert.Contains(path, paths);
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
    }
}
