using Aggregator.Core.Model;
using Aggregator.Nlp;
using Aggregator.Tests.Support;
using static Aggregator.Tests.Support.Fixtures;

namespace Aggregator.Tests;

/// <summary>
/// The entity list an analyst sees first, after ingesting feeds in the styles real sites publish (a tech blog, a
/// podcast, sport results, a wire, business news, a lifestyle blog: Fixtures/realstyle, written for these tests and
/// never trained on): their main people, places and organisations are at the top, and no discourse word, contraction,
/// product or file format is there at all; German, French, Spanish and Portuguese feeds are stored with their language
/// and no entities of the English model.
/// </summary>
public sealed class RealStyleFeedsTests
{
    private static readonly string[] EnglishFeeds =
        ["tech-blog.xml", "podcast.xml", "sport-results.xml", "world-wire.xml", "business.xml", "lifestyle-blog.xml"];

    /// <summary>Each feed's most frequent names (Fixtures/realstyle/README.md).</summary>
    private static readonly (string Name, EntityType Type)[] Expected =
    [
        ("Lumenware", EntityType.Organization), ("Microsoft", EntityType.Organization), ("Berlin", EntityType.Location),
        ("Kwame Asante", EntityType.Person), ("Harbourline Audio", EntityType.Organization),
        ("Harwell United", EntityType.Organization), ("Castlebrook FC", EntityType.Organization),
        ("Kenya", EntityType.Location), ("Somalia", EntityType.Location), ("Nairobi", EntityType.Location),
        ("European Central Bank", EntityType.Organization), ("Federal Reserve", EntityType.Organization),
        ("Kyoto", EntityType.Location), ("Lisbon", EntityType.Location),
    ];

    /// <summary>Words the feeds use often that are no names.</summary>
    private static readonly string[] NeverEntities =
    [
        "However", "Meanwhile", "Still", "It's", "It’s", "We're", "We’re", "Don't", "Don’t", "Here's", "Here’s", "You'll",
        "Rust", "C++", "Python", "PDF", "EPUB", "JSON", "YAML", "TOML", "CSV", "WebAssembly", "Wasm", "Linux", "Electron",
        "Subscribe", "Timestamps", "Intro", "Thanks", "MP3", "FILE PHOTO", "Reporting", "Editing", "Writing", "EPS", "CEO",
        "Q4", "Breaking", "Things", "Click", "Sign", "Share", "Newsletter", "Pos", "GD", "Pts", "VAR", "Update",
    ];

    [Fact]
    public async Task Top_entities_are_the_feeds_people_places_and_organisations_and_never_junk()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync(new() { ["Ingestion:FetchArticles"] = "false" });
        foreach (var file in EnglishFeeds)
        {
            server.MapContent("/" + file, Read("realstyle/" + file), "application/xml");
            var report = await pipeline.PollAsync(await pipeline.AddFeedAsync(server.Url("/" + file)));
            Assert.True(report.Stored >= 10, $"{file}: {report.Stored} stored");
        }

        var top = await pipeline.Entities.ListAsync(new EntityQuery { Limit = 60 });
        var shown = string.Join(", ", top.Select(e => $"{e.Name} ({EntityTypes.ToShort(e.Type)}, {e.Stories})"));
        foreach (var (name, type) in Expected)
            Assert.True(top.Any(e => e.Name == name && e.Type == type), $"{name} ({type}) is not among the top 60: {shown}");
        foreach (var word in NeverEntities)
            Assert.False(top.Any(e => e.Name.Equals(word, StringComparison.OrdinalIgnoreCase)), $"'{word}' is a top entity: {shown}");
    }

    [Theory]
    [InlineData("german-news.xml", "de", 12, 0)]
    [InlineData("french-news.xml", "fr", 11, 0)]
    [InlineData("spanish-portuguese.xml", "es", 9, 0)]
    [InlineData("spanish-portuguese.xml", "pt", 3, 0)]
    [InlineData("mixed-declared-wrong.xml", "de", 3, 0)]
    [InlineData("mixed-declared-wrong.xml", "en", 8, 8)]
    public async Task Stories_in_other_languages_keep_their_language_and_get_no_english_entities(string file, string language, int stories, int tagged)
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync(new() { ["Ingestion:FetchArticles"] = "false" });
        server.MapContent("/" + file, Read("realstyle/" + file), "application/xml");
        await pipeline.PollAsync(await pipeline.AddFeedAsync(server.Url("/" + file)));

        var inLanguage = new List<Story>();
        foreach (var summary in await pipeline.AllStoriesAsync())
            if ((await pipeline.Stories.GetAsync(summary.Id))! is { } story && story.Language == language) inLanguage.Add(story);
        Assert.Equal(stories, inLanguage.Count);
        Assert.Equal(tagged, inLanguage.Count(s => s.Mentions.Count > 0));
        if (language != "en")
            Assert.All(inLanguage, s => Assert.Equal(TaggingStatus.SkippedForLanguage(language), s.Tagging));
    }
}
