using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aggregator.Core.Ingestion;
using Aggregator.Core.Model;
using Aggregator.Core.Parsing;
using Aggregator.Core.Stores;
using Aggregator.Core.Tagging;
using Aggregator.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Tests;

/// <summary>Tagging inside ingestion, and the entity queries on top of it.</summary>
public sealed class EntitiesApiTests
{
    private static async Task IngestFixtureAsync(ApiFactory api)
    {
        var services = api.Services;
        var (feed, _) = await services.GetRequiredService<IFeedStore>().AddAsync(new FeedDefinition("https://news.example.org/rss", "Example"), true);
        var parsed = FeedParser.Parse(await File.ReadAllBytesAsync(Fixtures.Path("feeds/world.rss.xml")), null, new Uri("https://news.example.org/rss"));
        await services.GetRequiredService<FeedPoller>().IngestAsync(feed, parsed, fetchArticles: false);
    }

    [Fact]
    public async Task Stories_are_tagged_on_ingestion_and_return_their_mentions()
    {
        await using var api = new ApiFactory();
        await IngestFixtureAsync(api);
        var client = api.CreateClient();

        var page = await client.GetFromJsonAsync<JsonElement>("/api/stories?entity=lavrov&type=PERSON");
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        var story = await client.GetFromJsonAsync<JsonElement>($"/api/stories/{item.GetProperty("id").GetInt64()}");
        var text = story.GetProperty("text").GetString()!;
        var mentions = story.GetProperty("mentions").EnumerateArray().ToList();

        Assert.StartsWith("ner-", story.GetProperty("taggerVersion").GetString());
        Assert.Contains(mentions, m => m.GetProperty("field").GetString() == "Title" && m.GetProperty("text").GetString() == "Lavrov"
                                       && m.GetProperty("canonical").GetString() == "Sergei Lavrov");
        foreach (var mention in mentions.Where(m => m.GetProperty("field").GetString() == "Text"))
        {
            var (start, end) = (mention.GetProperty("start").GetInt32(), mention.GetProperty("end").GetInt32());
            Assert.Equal(mention.GetProperty("text").GetString(), text[start..end]);
        }
        Assert.Contains(mentions, m => m.GetProperty("canonical").GetString() == "Moscow" && m.GetProperty("type").GetString() == "LOCATION");
        Assert.Contains(mentions, m => m.GetProperty("canonical").GetString() == "Taliban" && m.GetProperty("type").GetString() == "ORGANIZATION");
        Assert.Single((await client.GetFromJsonAsync<JsonElement>("/api/stories?entity=Sergei%20Lavrov&q=kabul")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Entities_are_listed_with_counts_and_filtered()
    {
        await using var api = new ApiFactory();
        await IngestFixtureAsync(api);
        await IngestFixtureAsync(api); // the same items again: counts must not move
        var client = api.CreateClient();

        var people = await client.GetFromJsonAsync<JsonElement>("/api/entities?type=PERSON");
        var lavrov = people.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "Sergei Lavrov");
        var prefixed = await client.GetFromJsonAsync<JsonElement>("/api/entities?q=mosc");

        Assert.All(people.EnumerateArray(), e => Assert.Equal("PERSON", e.GetProperty("type").GetString()));
        Assert.Equal(1, lavrov.GetProperty("stories").GetInt64());
        Assert.True(lavrov.GetProperty("mentions").GetInt64() >= 3);
        Assert.Contains(prefixed.EnumerateArray(), e => e.GetProperty("name").GetString() == "Moscow");
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/api/entities?from=2030-01-01")).GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/entities?type=PLANET")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/stories?entity=Nobody%20Atall")).StatusCode);
    }

    [Fact]
    public async Task Tag_endpoint_returns_entities_for_a_text()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();

        var response = await client.PostAsJsonAsync("/api/tag", new { text = "Sergei Lavrov met Taliban envoys in Moscow. Lavrov smiled." });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var empty = await client.PostAsJsonAsync("/api/tag", new { text = "" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entities = body.GetProperty("entities").EnumerateArray().Select(e => (e.GetProperty("text").GetString(), e.GetProperty("type").GetString(), e.GetProperty("canonical").GetString())).ToList();
        Assert.Contains(("Sergei Lavrov", "PERSON", "Sergei Lavrov"), entities);
        Assert.Contains(("Lavrov", "PERSON", "Sergei Lavrov"), entities);
        Assert.Contains(("Moscow", "LOCATION", "Moscow"), entities);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task Retag_replaces_mentions_and_keeps_counts_exact()
    {
        await using var api = new ApiFactory();
        await IngestFixtureAsync(api);
        var services = api.Services;
        var stories = services.GetRequiredService<IStoryStore>();
        var entities = services.GetRequiredService<IEntityStore>();
        var before = await entities.ListAsync(new EntityQuery { Limit = 500 });
        var ids = (await stories.SearchAsync(new StoryQuery())).Items.Select(s => s.Id).ToList();
        foreach (var id in ids) await stories.ReplaceTagsAsync(id, new StoryTags([], "old-model"));

        var retagged = await services.GetRequiredService<Retagger>().RetagAsync();

        Assert.Equal(ids.Count, retagged);
        var after = await entities.ListAsync(new EntityQuery { Limit = 500 });
        Assert.Equal(before.Select(e => (e.Name, e.Mentions, e.Stories)).Order(), after.Select(e => (e.Name, e.Mentions, e.Stories)).Order());
        Assert.Equal(0, await services.GetRequiredService<Retagger>().RetagAsync());
    }
}
