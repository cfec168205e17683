using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Aggregator.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Tests;

public sealed class StoriesApiTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static async Task<long> SeedAsync(ApiFactory api, int count, int offsetHours = 0, string topic = "ceasefire")
    {
        var services = api.Services;
        var (feed, _) = await services.GetRequiredService<IFeedStore>().AddAsync(new FeedDefinition("https://example.org/rss", "Example"), true);
        var stories = services.GetRequiredService<IStoryStore>();
        for (var i = 0; i < count; i++)
        {
            var n = i + offsetHours;
            await stories.SaveAsync(new NewStory
            {
                FeedId = feed.Id,
                Guid = $"g{n}",
                Title = $"Story {n} about the {topic}",
                Link = $"https://example.org/{n}",
                Published = Start.AddHours(n),
                Text = $"Delegates discussed the {topic} in round {n}. <script>alert(1)</script> Envoys from Kabul & Doha attended.",
                Extraction = ExtractionStatus.Extracted,
                ContentHash = $"hash-{n}",
            });
        }
        return feed.Id;
    }

    [Fact]
    public async Task Full_text_search_marks_matches_and_escapes_stored_text()
    {
        await using var api = new ApiFactory();
        await SeedAsync(api, 3);
        var client = api.CreateClient();

        var page = await client.GetFromJsonAsync<JsonElement>("/api/stories?q=kabul+doha");
        var items = page.GetProperty("items");

        Assert.Equal(3, items.GetArrayLength());
        Assert.Equal("Story 2 about the ceasefire", items[0].GetProperty("title").GetString()); // newest first
        var snippet = items[0].GetProperty("snippet").GetString()!;
        Assert.Contains("<mark>Kabul</mark> &amp; <mark>Doha</mark>", snippet);
        Assert.Contains("&lt;script&gt;", snippet);
        Assert.Equal("Example", items[0].GetProperty("feeds")[0].GetProperty("name").GetString());
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/api/stories?q=kabul+-doha")).GetProperty("items").GetArrayLength());
        Assert.Equal(3, (await client.GetFromJsonAsync<JsonElement>("/api/stories?q=ceasef*&sort=relevance")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Relevance_puts_the_best_match_first_and_pages_by_offset()
    {
        await using var api = new ApiFactory();
        await SeedAsync(api, 5);
        await SeedAsync(api, 1, offsetHours: -50, topic: "harvest harvest harvest");
        var client = api.CreateClient();

        var first = await client.GetFromJsonAsync<JsonElement>("/api/stories?q=harvest+OR+ceasefire&sort=relevance&limit=1");
        var second = await client.GetFromJsonAsync<JsonElement>($"/api/stories?q=harvest+OR+ceasefire&sort=relevance&limit=1&cursor={first.GetProperty("next").GetString()}");

        Assert.Equal("Story -50 about the harvest harvest harvest", first.GetProperty("items")[0].GetProperty("title").GetString()); // oldest, but the best match
        Assert.Contains("<mark>harvest</mark>", first.GetProperty("items")[0].GetProperty("snippet").GetString());
        Assert.NotEqual(first.GetProperty("items")[0].GetProperty("id").GetInt64(), second.GetProperty("items")[0].GetProperty("id").GetInt64());
    }

    [Theory]
    [InlineData("q=%22unclosed", "Unclosed quote")]
    [InlineData("q=OR", "OR needs a term")]
    [InlineData("q=-only", "only exclude")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("from=yesterday", "from must be")]
    [InlineData("from=2026-11-02&to=2026-11-01", "earlier")]
    [InlineData("sort=oldest", "sort")]
    [InlineData("sort=relevance", "needs a search text")]
    [InlineData("cursor=!!!", "cursor")]
    [InlineData("feed=abc", "feed")]
    public async Task Bad_parameters_answer_400_problem_json(string query, string message)
    {
        await using var api = new ApiFactory();
        var response = await api.CreateClient().GetAsync("/api/stories?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(message, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Fts_syntax_in_user_text_is_searched_as_words_never_an_error()
    {
        await using var api = new ApiFactory();
        await SeedAsync(api, 2);
        var client = api.CreateClient();

        foreach (var q in new[] { "title:kabul", "kabul NEAR(doha)", "kabul AND", "(kabul", "kabul^", "*", "{title text}: kabul" })
        {
            var response = await client.GetAsync("/api/stories?q=" + Uri.EscapeDataString(q));
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{q}: {response.StatusCode}");
        }
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonElement>("/api/stories?q=" + Uri.EscapeDataString("(kabul"))).GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/api/stories?q=title:kabul")).GetProperty("items").GetArrayLength()); // "title" is a word here, not a column
    }

    [Fact]
    public async Task Cursor_pages_stay_stable_while_new_stories_arrive()
    {
        await using var api = new ApiFactory();
        await SeedAsync(api, 25);
        var client = api.CreateClient();
        var seen = new List<string>();
        string? cursor = null;
        var round = 0;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>("/api/stories?limit=10" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!));
            cursor = page.GetProperty("next").GetString();
            await SeedAsync(api, 3, offsetHours: 100 + 10 * round++, topic: "newer"); // newer stories land while paging
        } while (cursor is not null);

        Assert.Equal(Enumerable.Range(0, 25).Reverse().Select(n => $"Story {n} about the ceasefire"), seen);
    }

    [Fact]
    public async Task Date_and_feed_filters_and_single_story()
    {
        await using var api = new ApiFactory();
        var feedId = await SeedAsync(api, 48);
        var client = api.CreateClient();

        var day = await client.GetFromJsonAsync<JsonElement>("/api/stories?from=2026-11-02&to=2026-11-02T06:00:00Z&limit=100");
        var other = await client.GetFromJsonAsync<JsonElement>("/api/stories?feed=999");
        var inFeed = await client.GetFromJsonAsync<JsonElement>($"/api/stories?feed={feedId}&q=round&limit=5");
        var id = inFeed.GetProperty("items")[0].GetProperty("id").GetInt64();
        var story = await client.GetFromJsonAsync<JsonElement>($"/api/stories/{id}");

        Assert.Equal(Enumerable.Range(24, 6).Reverse().Select(n => $"Story {n} about the ceasefire"),
            day.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()));
        Assert.Equal(0, other.GetProperty("items").GetArrayLength());
        Assert.Equal(5, inFeed.GetProperty("items").GetArrayLength());
        Assert.Equal("Extracted", story.GetProperty("extraction").GetString());
        Assert.Contains("<script>", story.GetProperty("text").GetString()); // stored as text, returned as JSON text
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/stories/12345")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }
}
