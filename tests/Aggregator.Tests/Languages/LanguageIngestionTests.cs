using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aggregator.Core.Ingestion;
using Aggregator.Core.Model;
using Aggregator.Core.Parsing;
using Aggregator.Core.Stores;
using Aggregator.Core.Tagging;
using Aggregator.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Aggregator.Tests.Support.Fixtures;

namespace Aggregator.Tests.Languages;

/// <summary>The language stage inside ingestion, retagging and the API: only English is tagged; every story is stored.</summary>
public sealed class LanguageIngestionTests
{
    private const string ShortGermanTitle = "Kurz notiert: Bahnstreik";

    /// <summary>A feed declaring German that carries a story in each language and one too short to tell.</summary>
    private static ParsedFeed GermanDeclaredFeed()
    {
        var items = Stories.NotEnglish.Prepend(Stories.English)
            .Select((s, i) => new Item($"g{i}", s.Title, $"http://example.org/{s.Language}", s.Text))
            .Append(new Item("short", ShortGermanTitle, "http://example.org/short", "Heute."))
            .ToArray();
        var xml = Rss("Weltnachrichten", items).Replace("<channel>", "<channel><language>de-DE</language>");
        return FeedParser.Parse(Encoding.UTF8.GetBytes(xml), null, new Uri("http://example.org/feed"));
    }

    private static async Task<Dictionary<string, Story>> IngestAsync(IServiceProvider services, ParsedFeed parsed)
    {
        var (feed, _) = await services.GetRequiredService<IFeedStore>().AddAsync(new FeedDefinition("http://example.org/feed", "Welt"), true);
        var report = await services.GetRequiredService<FeedPoller>().IngestAsync(feed, parsed, fetchArticles: false);
        Assert.Equal((parsed.Items.Count, 0), (report.Stored, report.Errors.Count));
        var stories = services.GetRequiredService<IStoryStore>();
        var stored = new Dictionary<string, Story>();
        foreach (var summary in (await stories.SearchAsync(new StoryQuery { Limit = StoryQuery.MaxLimit })).Items)
            stored[summary.Title] = (await stories.GetAsync(summary.Id))!;
        return stored;
    }

    [Fact]
    public async Task Stories_in_other_languages_are_stored_with_their_language_and_no_entities_and_english_ones_are_tagged()
    {
        await using var pipeline = await Pipeline.CreateAsync();

        var stored = await IngestAsync(pipeline.Get<IServiceProvider>(), GermanDeclaredFeed());

        var english = stored[Stories.English.Title];
        Assert.Equal(("en", TaggingStatus.Tagged), (english.Language, english.Tagging));
        Assert.Contains(english.Mentions, m => m.Canonical == "Sergei Lavrov");
        Assert.Contains(english.Mentions, m => m.Text == "Geneva");
        foreach (var written in Stories.NotEnglish)
        {
            var story = stored[written.Title];
            Assert.Equal((written.Language, $"skipped: language {written.Language}", 0), (story.Language, story.Tagging, story.Mentions.Count));
            Assert.StartsWith("ner-", story.TaggerVersion);
        }
        // Too short to tell: the feed's declaration decides.
        Assert.Equal(("de", "skipped: language de"), (stored[ShortGermanTitle].Language, stored[ShortGermanTitle].Tagging));
        // Stored and searchable all the same.
        Assert.Equal([Stories.German.Title], (await pipeline.Stories.SearchAsync(new StoryQuery { Text = SearchExpression.Parse("schuldenbremse") })).Items.Select(i => i.Title));
        Assert.Equal([Stories.Portuguese.Title], (await pipeline.Stories.SearchAsync(new StoryQuery { Text = SearchExpression.Parse("inflação") })).Items.Select(i => i.Title));
    }

    [Fact]
    public async Task Without_any_declaration_an_undecidable_story_is_unknown_and_tagged()
    {
        await using var pipeline = await Pipeline.CreateAsync();
        var xml = Rss("World", new Item("1", "Lavrov in Kabul", "http://example.org/1", "Sergei Lavrov."));

        var stored = await IngestAsync(pipeline.Get<IServiceProvider>(), FeedParser.Parse(Encoding.UTF8.GetBytes(xml), null, null));

        var story = stored["Lavrov in Kabul"];
        Assert.Equal((null, TaggingStatus.Tagged), (story.Language, story.Tagging));
        Assert.Contains(story.Mentions, m => m.Canonical == "Sergei Lavrov");
    }

    [Fact]
    public async Task Retag_decides_the_language_of_stories_stored_before_and_skips_the_non_english_ones()
    {
        await using var pipeline = await Pipeline.CreateAsync();
        var (feed, _) = await pipeline.Feeds.AddAsync(new FeedDefinition("http://example.org/feed", "Welt"), true);
        // As stored before languages were detected: tagged by the English model whatever the language, no status.
        var tagger = pipeline.Get<StoryTagger>();
        var ids = new Dictionary<string, long>();
        foreach (var (written, i) in Stories.NotEnglish.Prepend(Stories.English).Select((s, i) => (s, i)))
        {
            var mentions = NerOnly(pipeline, written.Text);
            var (id, _) = await pipeline.Stories.SaveAsync(new NewStory
            {
                FeedId = feed.Id, Guid = $"old-{i}", Title = written.Title, Text = written.Text, Link = $"http://example.org/old/{i}",
                Published = DateTimeOffset.UtcNow.AddHours(-i - 1), Extraction = ExtractionStatus.NotAttempted, ContentHash = $"old-{i}",
                Mentions = mentions, TaggerVersion = tagger.Version,
            });
            ids[written.Language] = id;
        }
        Assert.NotEmpty((await pipeline.Stories.GetAsync(ids["de"]))!.Mentions); // what the English model makes of German

        var retagged = await pipeline.Get<Retagger>().RetagAsync();

        Assert.Equal(ids.Count, retagged);
        var english = (await pipeline.Stories.GetAsync(ids["en"]))!;
        Assert.Equal(("en", TaggingStatus.Tagged), (english.Language, english.Tagging));
        Assert.Contains(english.Mentions, m => m.Canonical == "Sergei Lavrov");
        foreach (var written in Stories.NotEnglish)
        {
            var story = (await pipeline.Stories.GetAsync(ids[written.Language]))!;
            Assert.Equal((written.Language, $"skipped: language {written.Language}", 0), (story.Language, story.Tagging, story.Mentions.Count));
        }
        Assert.Equal(0, await pipeline.Get<Retagger>().RetagAsync()); // every story has its status now
    }

    /// <summary>The English model's mentions of a story, language unseen: what tagging did before the language stage.</summary>
    private static List<StoryMention> NerOnly(Pipeline pipeline, string text) =>
        pipeline.Get<Aggregator.Nlp.NerPipeline>().Tag(text)
            .Select(m => new StoryMention(StoryField.Text, m.Start, m.End, m.Type, m.Text, m.Canonical)).ToList();

    [Fact]
    public async Task The_api_returns_language_and_tagging_and_filters_by_language()
    {
        await using var api = new ApiFactory();
        await IngestAsync(api.Services, GermanDeclaredFeed());
        var client = api.CreateClient();

        var german = await client.GetFromJsonAsync<JsonElement>("/api/stories?language=de");
        var upper = await client.GetFromJsonAsync<JsonElement>("/api/stories?language=DE");
        var all = await client.GetFromJsonAsync<JsonElement>("/api/stories?limit=100");
        var story = await client.GetFromJsonAsync<JsonElement>($"/api/stories/{german.GetProperty("items")[0].GetProperty("id").GetInt64()}");
        var english = await client.GetFromJsonAsync<JsonElement>("/api/stories?language=en&q=geneva");

        static List<string> Titles(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!).ToList();
        Assert.Equal([Stories.German.Title, ShortGermanTitle], Titles(german).Order());
        Assert.Equal(Titles(german), Titles(upper));
        Assert.Equal(["de", "de"], german.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("language").GetString()));
        Assert.Equal(6, all.GetProperty("items").GetArrayLength());
        Assert.Equal(("de", "skipped: language de", 0), (story.GetProperty("language").GetString(), story.GetProperty("tagging").GetString(), story.GetProperty("mentions").GetArrayLength()));
        Assert.Equal([Stories.English.Title], Titles(english));

        foreach (var bad in new[] { "xyz", "german", "de-AT", "zz" })
        {
            var response = await client.GetAsync($"/api/stories?language={bad}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("ISO 639-1", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task The_openapi_document_describes_the_language_filter_and_fields()
    {
        await using var api = new ApiFactory();

        var document = await api.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var list = document.GetProperty("paths").GetProperty("/api/stories").GetProperty("get");
        Assert.Contains("language", list.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Contains("ISO 639-1", list.GetProperty("description").GetString());
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("Story").GetProperty("properties").TryGetProperty("language", out _));
        Assert.True(schemas.GetProperty("Story").GetProperty("properties").TryGetProperty("tagging", out _));
        Assert.True(schemas.GetProperty("StorySummary").GetProperty("properties").TryGetProperty("language", out _));
        Assert.Contains("skipped: language", document.GetProperty("paths").GetProperty("/api/stories/{id}").GetProperty("get").GetProperty("description").GetString());
    }
}
