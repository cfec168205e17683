using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Aggregator.Nlp;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Tests;

/// <summary>The editable entity layer over HTTP: merge, rename, retype, ignore, split, the edit log, undo, 308 for merged ids.</summary>
public sealed class EntityEditsApiTests
{
    private static int _counter;

    private static async Task<long> StoryAsync(ApiFactory api, DateTimeOffset published, params (string Surface, string Canonical, EntityType Type)[] entities)
    {
        var services = api.Services;
        var (feed, _) = await services.GetRequiredService<IFeedStore>().AddAsync(new FeedDefinition("https://example.org/rss", "Example"), true);
        var n = Interlocked.Increment(ref _counter);
        var text = string.Join(" and ", entities.Select(e => e.Surface)) + $" were in the news (story {n}).";
        var mentions = new List<StoryMention>();
        var position = 0;
        foreach (var (surface, canonical, type) in entities)
        {
            var start = text.IndexOf(surface, position, StringComparison.Ordinal);
            mentions.Add(new StoryMention(StoryField.Text, start, start + surface.Length, type, surface, canonical));
            position = start + surface.Length;
        }
        var (id, _) = await services.GetRequiredService<IStoryStore>().SaveAsync(new NewStory
        {
            FeedId = feed.Id, Guid = $"g{n}", Title = $"Story {n}", Link = $"https://example.org/{n}", Published = published,
            Text = text, Extraction = ExtractionStatus.Extracted, ContentHash = $"h{n}", Mentions = mentions, TaggerVersion = "test",
        });
        return id;
    }

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly (string, string, EntityType) Trump = ("Trump", "Trump", EntityType.Person);
    private static readonly (string, string, EntityType) DonaldTrump = ("Donald Trump", "Donald Trump", EntityType.Person);
    private static readonly (string, string, EntityType) Kabul = ("Kabul", "Kabul", EntityType.Location);

    private static async Task<(long Trump, long Donald, long Kabul)> CorpusAsync(ApiFactory api)
    {
        await StoryAsync(api, Now.AddHours(-5), Trump, Kabul);
        await StoryAsync(api, Now.AddHours(-4), Trump);
        await StoryAsync(api, Now.AddHours(-3), DonaldTrump, Kabul);
        var entities = api.Services.GetRequiredService<IEntityStore>();
        return ((await entities.ResolveAsync("Trump", EntityType.Person))[0], (await entities.ResolveAsync("Donald Trump", null))[0],
            (await entities.ResolveAsync("Kabul", null))[0]);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string inDetail)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(inDetail, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Merge_moves_the_entity_and_its_id_answers_308_to_the_target_until_undone()
    {
        await using var api = new ApiFactory();
        var (trump, donald, kabul) = await CorpusAsync(api);
        var client = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var merged = await JsonAsync(await client.PostAsJsonAsync($"/api/entities/{trump}/merge", new { into = donald }), HttpStatusCode.OK);

        Assert.Equal(("Merge", trump, donald), (merged.GetProperty("edit").GetProperty("kind").GetString(),
            merged.GetProperty("edit").GetProperty("entityId").GetInt64(), merged.GetProperty("edit").GetProperty("otherId").GetInt64()));
        Assert.Equal(("Donald Trump", 3L), (merged.GetProperty("entity").GetProperty("name").GetString(), merged.GetProperty("entity").GetProperty("stories").GetInt64()));
        var moved = await client.GetAsync($"/api/entities/{trump}?interval=hour");
        Assert.Equal(HttpStatusCode.PermanentRedirect, moved.StatusCode);
        Assert.Equal($"/api/entities/{donald}?interval=hour", moved.Headers.Location?.OriginalString);
        var cooccurrences = await client.GetAsync($"/api/entities/{trump}/cooccurrences?type=LOCATION");
        Assert.Equal($"/api/entities/{donald}/cooccurrences?type=LOCATION", cooccurrences.Headers.Location?.OriginalString);
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/entities/{donald}");
        Assert.Equal(3, page.GetProperty("stories").GetInt64());
        Assert.Equal([("Kabul", 2)], page.GetProperty("cooccurrences").EnumerateArray().Select(c => (c.GetProperty("name").GetString(), c.GetProperty("stories").GetInt32())));
        Assert.Equal(3, (await client.GetFromJsonAsync<JsonElement>($"/api/stories?entity={trump}")).GetProperty("items").GetArrayLength());
        Assert.DoesNotContain(trump, (await client.GetFromJsonAsync<JsonElement>("/api/entities")).EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));

        var log = await client.GetFromJsonAsync<JsonElement>($"/api/entities/edits?entity={donald}");
        var edit = Assert.Single(log.EnumerateArray());
        Assert.Equal("in-process", edit.GetProperty("actor").GetString());
        var undone = await JsonAsync(await client.DeleteAsync($"/api/entities/edits/{edit.GetProperty("id").GetInt64()}"), HttpStatusCode.OK);

        Assert.Equal(("Trump", 2L), (undone.GetProperty("entity").GetProperty("name").GetString(), undone.GetProperty("entity").GetProperty("stories").GetInt64()));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/entities/{trump}")).StatusCode);
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>($"/api/entities/{donald}")).GetProperty("stories").GetInt64());
        await AssertProblemAsync(await client.DeleteAsync($"/api/entities/edits/{edit.GetProperty("id").GetInt64()}"), HttpStatusCode.Conflict, "undone already");
        await AssertProblemAsync(await client.DeleteAsync("/api/entities/edits/999"), HttpStatusCode.NotFound, "no edit 999");
        Assert.Equal(kabul, (await client.GetFromJsonAsync<JsonElement>($"/api/entities/{kabul}")).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Patch_renames_retypes_and_ignores_and_bad_edits_answer_problems()
    {
        await using var api = new ApiFactory();
        var (trump, donald, kabul) = await CorpusAsync(api);
        var client = api.CreateClient();

        var renamed = await JsonAsync(await client.PatchAsJsonAsync($"/api/entities/{trump}", new { name = "Donald J. Trump" }), HttpStatusCode.OK);
        Assert.Equal(("Donald J. Trump", true), (renamed.GetProperty("entity").GetProperty("name").GetString(), renamed.GetProperty("entity").GetProperty("curated").GetBoolean()));
        Assert.Contains("Trump", renamed.GetProperty("entity").GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        var retyped = await JsonAsync(await client.PatchAsJsonAsync($"/api/entities/{kabul}", new { type = "organization" }), HttpStatusCode.OK);
        Assert.Equal("ORGANIZATION", retyped.GetProperty("entity").GetProperty("type").GetString());

        await AssertProblemAsync(await client.PatchAsJsonAsync($"/api/entities/{trump}", new { name = "DONALD TRUMP" }), HttpStatusCode.Conflict, $"Entity {donald}");
        await AssertProblemAsync(await client.PatchAsJsonAsync($"/api/entities/{trump}", new { type = "PLANET" }), HttpStatusCode.BadRequest, "type must be");
        await AssertProblemAsync(await client.PatchAsJsonAsync($"/api/entities/{trump}", new { }), HttpStatusCode.BadRequest, "name, type and ignored");
        await AssertProblemAsync(await client.PatchAsJsonAsync($"/api/entities/{trump}", new { name = new string('x', 201) }), HttpStatusCode.BadRequest, "200 characters");
        await AssertProblemAsync(await client.PatchAsJsonAsync("/api/entities/999999", new { ignored = true }), HttpStatusCode.NotFound, "no entity 999999");
        await AssertProblemAsync(await client.PostAsJsonAsync($"/api/entities/{trump}/merge", new { }), HttpStatusCode.BadRequest, "'into'");
        await AssertProblemAsync(await client.PostAsJsonAsync($"/api/entities/{trump}/merge", new { into = trump }), HttpStatusCode.BadRequest, "into itself");
        var malformed = await client.PatchAsync($"/api/entities/{trump}", new StringContent("{\"name\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        var ignored = await JsonAsync(await client.PatchAsJsonAsync($"/api/entities/{donald}", new { ignored = true }), HttpStatusCode.OK);
        Assert.True(ignored.GetProperty("entity").GetProperty("ignored").GetBoolean());
        Assert.DoesNotContain(donald, (await client.GetFromJsonAsync<JsonElement>("/api/entities")).EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
        Assert.True((await client.GetFromJsonAsync<JsonElement>($"/api/entities/{donald}")).GetProperty("ignored").GetBoolean()); // still there to undo
        Assert.Equal(3, (await client.GetFromJsonAsync<JsonElement>("/api/entities/edits")).GetArrayLength());
    }

    [Fact]
    public async Task Split_answers_201_with_the_new_entity()
    {
        await using var api = new ApiFactory();
        await StoryAsync(api, Now.AddHours(-2), DonaldTrump, ("Trump", "Donald Trump", EntityType.Person));
        await StoryAsync(api, Now.AddHours(-1), ("Trump", "Donald Trump", EntityType.Person));
        var donald = (await api.Services.GetRequiredService<IEntityStore>().ResolveAsync("Donald Trump", null))[0];
        var client = api.CreateClient();

        var response = await client.PostAsJsonAsync($"/api/entities/{donald}/split", new { alias = "Trump" });

        var split = await JsonAsync(response, HttpStatusCode.Created);
        var created = split.GetProperty("entity").GetProperty("id").GetInt64();
        Assert.Equal($"/api/entities/{created}", response.Headers.Location?.OriginalString);
        Assert.Equal(("Trump", 2L), (split.GetProperty("entity").GetProperty("name").GetString(), split.GetProperty("entity").GetProperty("mentions").GetInt64()));
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>($"/api/entities/{donald}")).GetProperty("stories").GetInt64());
        await AssertProblemAsync(await client.PostAsJsonAsync($"/api/entities/{donald}/split", new { alias = "Ivanka" }), HttpStatusCode.BadRequest, "no alias 'Ivanka'");
        await AssertProblemAsync(await client.PostAsJsonAsync($"/api/entities/{donald}/split", new { }), HttpStatusCode.BadRequest, "'alias'");
    }

    [Fact]
    public async Task Edits_need_the_operator_key_and_record_its_fingerprint_never_the_key()
    {
        await using var api = new ApiFactory(new() { ["Api:Key"] = "s3cret-key" });
        var (trump, donald, _) = await CorpusAsync(api);
        var anonymous = api.CreateClient();
        var operatorClient = api.CreateClient();
        operatorClient.DefaultRequestHeaders.Add("X-Api-Key", "s3cret-key");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"/api/entities/{trump}/merge", new { into = donald })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PatchAsJsonAsync($"/api/entities/{trump}", new { ignored = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/entities/edits")).StatusCode);
        var merged = await JsonAsync(await operatorClient.PostAsJsonAsync($"/api/entities/{trump}/merge", new { into = donald }), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"/api/entities/edits/{merged.GetProperty("edit").GetProperty("id").GetInt64()}")).StatusCode);

        var actor = merged.GetProperty("edit").GetProperty("actor").GetString()!;
        Assert.Matches("^key [0-9a-f]{8} \\(in-process\\)$", actor);
        Assert.DoesNotContain("s3cret", actor);
    }
}
