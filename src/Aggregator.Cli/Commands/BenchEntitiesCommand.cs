using System.Diagnostics;
using System.Text;
using Aggregator.Core.Ingestion;
using Aggregator.Core.Languages;
using Aggregator.Core.Model;
using Aggregator.Core.Parsing;
using Aggregator.Core.Stores;
using Aggregator.Core.Tagging;
using Aggregator.Nlp;
using Aggregator.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aggregator.Cli.Commands;

/// <summary>
/// aggregator bench entities [--stories N] [--seed S]: generates N news-like stories (default 500) over 100 real-world
/// people, places and organisations, each named in several surface forms (full names, surnames, acronyms, short forms,
/// two people sharing a surname), ingests them through the real pipeline (tag, resolve, store) with resolution off
/// and on, then re-tags all of them, and prints how fragmented the entities are: stored entities per real-world entity
/// (ideal 1.00) and wrong joins (stored entities holding the mentions of more than one real-world entity, ideal 0).
/// Only mentions the tagger found where the generator wrote a name are counted.
/// </summary>
public static class BenchEntitiesCommand
{
    public static async Task<int> RunAsync(CliArgs args, TextWriter stdout)
    {
        var count = int.Parse(args.Option("stories") ?? "500");
        var seed = int.Parse(args.Option("seed") ?? "12");
        var corpus = Generate(count, seed);
        await stdout.WriteLineAsync($"corpus: {corpus.Count} stories, {RealEntities.Length} real-world entities " +
                                    $"({RealEntities.Count(e => e.Type == EntityType.Person)} people, {RealEntities.Count(e => e.Type == EntityType.Location)} places, " +
                                    $"{RealEntities.Count(e => e.Type == EntityType.Organization)} organisations), {corpus.Sum(s => s.Names.Count)} names written");
        await MeasureResolutionAsync(stdout, corpus);
        foreach (var resolve in new[] { false, true })
        {
            var directory = Path.Combine(Path.GetTempPath(), "aggregator-bench-entities-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            try
            {
                using var host = CliHost.Build(new Dictionary<string, string?>
                {
                    ["Storage:Sqlite:Path"] = Path.Combine(directory, "entities.db"),
                    ["Entities:Resolve"] = resolve.ToString(),
                    ["Ingestion:MaxItemsPerPoll"] = "100000",
                });
                var services = host.Services;
                await services.GetRequiredService<IDatabaseMigrator>().MigrateAsync();
                var (feed, _) = await services.GetRequiredService<IFeedStore>().AddAsync(new FeedDefinition("https://bench.example/entities", "Bench"), true);
                var clock = Stopwatch.StartNew();
                await services.GetRequiredService<FeedPoller>().IngestAsync(feed, new ParsedFeed("rss-2.0", null, null, corpus.Select(s => new ParsedItem
                {
                    Guid = s.Guid, Title = s.Title, Content = s.Text, Published = s.Published, Link = Link(s.Guid),
                }).ToList()), fetchArticles: false);
                var label = resolve ? "resolution on" : "resolution off (exact names)";
                await ReportAsync(stdout, label, services, corpus, clock.Elapsed);
                if (!resolve) continue;
                clock.Restart();
                await services.GetRequiredService<Retagger>().RetagAsync(all: true);
                await ReportAsync(stdout, "resolution on, then retag --all", services, corpus, clock.Elapsed);
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
            }
        }
        return 0;
    }

    /// <summary>
    /// The cost of resolution alone, in memory as ingestion runs it: each story's tagged mentions resolved and then
    /// observed, over an index that also holds 50,000 other entities (as a million stories have).
    /// </summary>
    private static async Task MeasureResolutionAsync(TextWriter stdout, List<GeneratedStory> corpus)
    {
        const int Others = 50_000;
        // The generated stories are English: the tagger is told so rather than asked to detect it.
        var tagger = new StoryTagger(NerPipeline.Default, new LanguageDetection(Options.Create(new LanguageOptions { Detect = false })));
        var tagged = corpus.Select(s => (tagger.Tag(s.Title, s.Text, LanguageCode.English).Mentions, s.Published)).ToList();
        var rules = new Core.Entities.EntityRules();
        var index = new Core.Entities.EntityIndex();
        for (var e = 0; e < Others; e++)
            index.Add(new DirectoryEntry(e, $"{Capitalised(e + 7)} {Capitalised(e * 31 + 3)}", (EntityType)(e % 3), [], 1 + e % 50, corpus[0].Published, false, false));
        var timings = new List<double>();
        // The first round warms the JIT up and is not counted: ingestion resolves all day.
        for (var round = 0; round <= 5; round++)
        {
            var clock = Stopwatch.StartNew();
            foreach (var (mentions, published) in tagged) index.Observe(rules.Resolve(index, mentions, published), published);
            if (round > 0) timings.Add(clock.Elapsed.TotalMilliseconds * 1000 / tagged.Count);
        }
        timings.Sort();
        await stdout.WriteLineAsync($"resolution alone: {timings[timings.Count / 2]:0} µs per story (median of 5 rounds over {tagged.Count} stories, " +
                                    $"{tagged.Average(t => t.Mentions.Count):0.0} mentions each, an index of {Others} other entities)");

        static string Capitalised(int rank) => char.ToUpperInvariant(Synthetic.Word(rank)[0]) + Synthetic.Word(rank)[1..];
    }

    private static async Task ReportAsync(TextWriter stdout, string label, IServiceProvider services, List<GeneratedStory> corpus, TimeSpan elapsed)
    {
        var stories = services.GetRequiredService<IStoryStore>();
        var byLink = corpus.ToDictionary(s => Link(s.Guid));
        // Each mention found where a name was written: (real entity, stored entity).
        var found = new List<(int Real, long Stored)>();
        var names = new Dictionary<long, string>();
        string? cursor = null;
        do
        {
            var page = await stories.SearchAsync(new StoryQuery { Limit = StoryQuery.MaxLimit, After = cursor is null ? null : StoryCursor.Decode(cursor) });
            foreach (var summary in page.Items)
            {
                var story = (await stories.GetAsync(summary.Id))!;
                var generated = byLink[story.Link!];
                foreach (var mention in story.Mentions)
                {
                    var written = generated.Names.Where(n => n.Field == mention.Field && n.Start < mention.End && mention.Start < n.End)
                        .MaxBy(n => Math.Min(n.End, mention.End) - Math.Max(n.Start, mention.Start));
                    if (written is null) continue;
                    names[mention.EntityId!.Value] = mention.Canonical;
                    found.Add((written.Real, mention.EntityId.Value));
                }
            }
            cursor = page.Next;
        } while (cursor is not null);

        var perReal = found.GroupBy(f => f.Real).Select(g => g.Select(f => f.Stored).Distinct().Count()).ToList();
        // A surname two people share, kept apart from both as an entity of its own, holds both by nature: not a wrong join.
        var joined = found.GroupBy(f => f.Stored).Where(g => g.Select(f => f.Real).Distinct().Count() > 1).ToList();
        var ambiguous = joined.Where(g => g.Select(f => f.Real).Distinct().Count(r => RealEntities[r].Names.Contains(names[g.Key])) > 1).ToList();
        var joins = joined.Except(ambiguous).ToList();
        // A joined entity's mentions that are not of the real entity most of its mentions are of.
        var misjoined = joins.Sum(g => g.Count() - g.GroupBy(f => f.Real).Max(r => r.Count()));
        string Holding(IGrouping<long, (int Real, long Stored)> g) =>
            $"'{names[g.Key]}' = {string.Join(" + ", g.GroupBy(f => f.Real).OrderByDescending(r => r.Count()).Select(r => $"{RealEntities[r.Key].Full} ({r.Count()})"))}";
        var fragmented = found.GroupBy(f => f.Real).Where(g => g.Select(f => f.Stored).Distinct().Count() > 1)
            .OrderByDescending(g => g.Select(f => f.Stored).Distinct().Count()).ThenBy(g => g.Key).Take(6)
            .Select(g => $"{RealEntities[g.Key].Full} as {string.Join(", ", g.GroupBy(f => f.Stored).OrderByDescending(x => x.Count()).Select(x => $"'{names[x.Key]}' ({x.Count()})"))}");
        await stdout.WriteLineAsync($"{label}: {perReal.Average():0.00} stored entities per real-world entity (ideal 1.00; worst {perReal.Max()}), " +
                                    $"{joins.Count} wrong joins holding {misjoined} mentions of another entity (ideal 0), " +
                                    $"{ambiguous.Count} shared surnames kept apart as their own entity, " +
                                    $"{found.Count} of {corpus.Sum(s => s.Names.Count)} written names found by the tagger, {elapsed.TotalSeconds:0.0} s");
        if (joins.Count > 0) await stdout.WriteLineAsync("  wrong joins: " + string.Join("; ", joins.OrderByDescending(g => g.Count()).Take(5).Select(Holding)));
        if (ambiguous.Count > 0) await stdout.WriteLineAsync("  kept apart: " + string.Join("; ", ambiguous.Select(Holding)));
        await stdout.WriteLineAsync("  most fragmented: " + string.Join("; ", fragmented));
    }

    private static string Link(string guid) => $"https://bench.example/{guid}";

    private sealed record WrittenName(StoryField Field, int Start, int End, int Real);

    private sealed record GeneratedStory(string Guid, string Title, string Text, DateTimeOffset Published, List<WrittenName> Names);

    /// <summary>
    /// A real-world entity: its full name first, then other ways news writes it (as full as the first in some
    /// stories, short in others). Popularity weights how often stories are about it.
    /// </summary>
    private sealed record RealEntity(EntityType Type, int Popularity, params string[] Names)
    {
        public string Full => Names[0];
        public string Short => Names[^1];
    }

    private static readonly RealEntity[] RealEntities =
    [
        new(EntityType.Person, 9, "Donald Trump", "Donald J. Trump", "Trump"),
        new(EntityType.Person, 8, "Vladimir Putin", "Putin"),
        new(EntityType.Person, 6, "Volodymyr Zelensky", "Zelensky"),
        new(EntityType.Person, 5, "Xi Jinping", "Xi"),
        new(EntityType.Person, 5, "Emmanuel Macron", "Macron"),
        new(EntityType.Person, 5, "Benjamin Netanyahu", "Netanyahu"),
        new(EntityType.Person, 4, "Narendra Modi", "Modi"),
        new(EntityType.Person, 4, "Recep Tayyip Erdogan", "Tayyip Erdogan", "Erdogan"),
        new(EntityType.Person, 4, "Keir Starmer", "Starmer"),
        new(EntityType.Person, 4, "Joe Biden", "Biden"),
        new(EntityType.Person, 4, "Barack Obama", "Obama"),
        new(EntityType.Person, 3, "Ursula von der Leyen", "von der Leyen"),
        new(EntityType.Person, 3, "Antonio Guterres", "Guterres"),
        new(EntityType.Person, 3, "Sergei Lavrov", "Lavrov"),
        new(EntityType.Person, 3, "Luiz Inacio Lula da Silva", "Lula da Silva", "Lula"),
        new(EntityType.Person, 3, "Nana Akufo-Addo", "Akufo-Addo"),
        new(EntityType.Person, 3, "Boris Johnson", "Johnson"),
        new(EntityType.Person, 3, "Dwayne Johnson", "Johnson"),
        new(EntityType.Person, 3, "Elon Musk", "Musk"),
        new(EntityType.Person, 3, "Olaf Scholz", "Scholz"),
        new(EntityType.Person, 2, "Giorgia Meloni", "Meloni"),
        new(EntityType.Person, 2, "Cyril Ramaphosa", "Ramaphosa"),
        new(EntityType.Person, 2, "William Ruto", "Ruto"),
        new(EntityType.Person, 2, "Javier Milei", "Milei"),
        new(EntityType.Person, 2, "Justin Trudeau", "Trudeau"),
        new(EntityType.Person, 2, "Bashar al-Assad", "al-Assad", "Assad"),
        new(EntityType.Person, 2, "Ali Khamenei", "Khamenei"),
        new(EntityType.Person, 2, "Mohammed bin Salman", "bin Salman"),
        new(EntityType.Person, 2, "Jens Stoltenberg", "Stoltenberg"),
        new(EntityType.Person, 2, "Christine Lagarde", "Lagarde"),
        new(EntityType.Person, 2, "Jerome Powell", "Powell"),
        new(EntityType.Person, 2, "Satya Nadella", "Nadella"),
        new(EntityType.Person, 2, "Mark Zuckerberg", "Zuckerberg"),
        new(EntityType.Person, 2, "Abiy Ahmed", "Abiy"),
        new(EntityType.Person, 2, "Paul Kagame", "Kagame"),
        new(EntityType.Person, 2, "Bola Tinubu", "Tinubu"),
        new(EntityType.Person, 2, "Anthony Albanese", "Albanese"),
        new(EntityType.Person, 2, "Claudia Sheinbaum", "Sheinbaum"),
        new(EntityType.Person, 2, "Nicolas Maduro", "Maduro"),
        new(EntityType.Person, 2, "Viktor Orban", "Orban"),
        new(EntityType.Person, 2, "Shehbaz Sharif", "Sharif"),
        new(EntityType.Person, 2, "Nawaz Sharif", "Sharif"),
        new(EntityType.Person, 1, "Kamala Harris", "Harris"),
        new(EntityType.Person, 1, "Pedro Sanchez", "Sanchez"),
        new(EntityType.Person, 1, "Yoweri Museveni", "Museveni"),
        new(EntityType.Location, 9, "United States", "U.S.", "US"),
        new(EntityType.Location, 5, "United Kingdom", "Britain", "UK"),
        new(EntityType.Location, 3, "United Arab Emirates", "UAE"),
        new(EntityType.Location, 3, "Democratic Republic of Congo", "DR Congo", "DRC"),
        new(EntityType.Location, 2, "Cote d'Ivoire", "Côte d'Ivoire", "Ivory Coast"),
        new(EntityType.Location, 7, "Russia"),
        new(EntityType.Location, 7, "Ukraine"),
        new(EntityType.Location, 6, "China"),
        new(EntityType.Location, 4, "Germany"),
        new(EntityType.Location, 4, "France"),
        new(EntityType.Location, 4, "Israel"),
        new(EntityType.Location, 4, "Gaza"),
        new(EntityType.Location, 4, "Iran"),
        new(EntityType.Location, 3, "India"),
        new(EntityType.Location, 3, "Brazil"),
        new(EntityType.Location, 3, "Nigeria"),
        new(EntityType.Location, 3, "Kenya"),
        new(EntityType.Location, 3, "Moscow"),
        new(EntityType.Location, 3, "Kyiv"),
        new(EntityType.Location, 3, "Beijing"),
        new(EntityType.Location, 3, "Washington"),
        new(EntityType.Location, 2, "New York City", "New York"),
        new(EntityType.Location, 2, "Kabul"),
        new(EntityType.Location, 2, "Nairobi"),
        new(EntityType.Location, 2, "Lagos"),
        new(EntityType.Location, 2, "Johannesburg"),
        new(EntityType.Location, 2, "Brussels"),
        new(EntityType.Location, 2, "Geneva"),
        new(EntityType.Location, 2, "Tehran"),
        new(EntityType.Location, 2, "Sao Paulo", "São Paulo"),
        new(EntityType.Organization, 6, "United Nations", "U.N.", "UN"),
        new(EntityType.Organization, 5, "North Atlantic Treaty Organization", "NATO"),
        new(EntityType.Organization, 4, "European Union", "EU"),
        new(EntityType.Organization, 3, "World Health Organization", "WHO"),
        new(EntityType.Organization, 3, "International Monetary Fund", "IMF"),
        new(EntityType.Organization, 3, "World Bank"),
        new(EntityType.Organization, 2, "African National Congress", "ANC"),
        new(EntityType.Organization, 3, "Federal Reserve", "Fed"),
        new(EntityType.Organization, 2, "European Central Bank", "ECB"),
        new(EntityType.Organization, 3, "Apple Inc.", "Apple"),
        new(EntityType.Organization, 3, "Microsoft Corp.", "Microsoft"),
        new(EntityType.Organization, 2, "Alphabet Inc.", "Alphabet"),
        new(EntityType.Organization, 3, "Tesla Inc.", "Tesla"),
        new(EntityType.Organization, 2, "Toyota Motor Corp.", "Toyota"),
        new(EntityType.Organization, 2, "Goldman Sachs"),
        new(EntityType.Organization, 3, "Reuters"),
        new(EntityType.Organization, 2, "BBC"),
        new(EntityType.Organization, 3, "Hamas"),
        new(EntityType.Organization, 3, "Taliban"),
        new(EntityType.Organization, 2, "Hezbollah"),
        new(EntityType.Organization, 3, "Kremlin"),
        new(EntityType.Organization, 2, "Pentagon"),
        new(EntityType.Organization, 2, "The New York Times", "New York Times"),
        new(EntityType.Organization, 2, "African Union", "AU"),
        new(EntityType.Organization, 2, "Organization of the Petroleum Exporting Countries", "OPEC"),
    ];

    private static readonly string[] Days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    /// <summary>Sentences with slots: P a person, L a place, O an organisation.</summary>
    private static readonly string[] Sentences =
    [
        "{P} met {P} in {L} on {D}.",
        "{P} told reporters in {L} that talks with {O} had been useful.",
        "Officials in {L} said {O} would send a delegation next week.",
        "{O} said on {D} that it would review the plan.",
        "{P} arrived in {L} for talks on trade and security.",
        "A spokesman for {O} said {P} had spoken to leaders in {L}.",
        "{P} warned that {L} could face new sanctions.",
        "Analysts at {O} expect growth in {L} to slow this year.",
        "{P} and {P} discussed the crisis by telephone, {O} reported.",
    ];

    private static readonly string[] Titles =
    [
        "{P} warns {L}", "{P} visits {L}", "{O} backs new plan for {L}", "{P} meets {P}", "{L} talks stall as {P} digs in",
        "{P} says {O} must act", "{O} shares fall in {L}",
    ];

    private static List<GeneratedStory> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var byType = RealEntities.Select((e, i) => (e, i)).GroupBy(x => x.e.Type).ToDictionary(g => g.Key, g => g.ToList());
        var start = DateTimeOffset.UtcNow.AddDays(-31);
        var stories = new List<GeneratedStory>(count);
        for (var n = 0; n < count; n++)
        {
            // The entities a story is about, and whether each is written in full the first time in the text.
            var cast = new Dictionary<int, bool>();
            int Pick(EntityType type)
            {
                // Writers do not call two people of a story by the surname they share: one of them only per story.
                var candidates = byType[type].Where(c => cast.ContainsKey(c.i) || !cast.Keys.Any(k => RealEntities[k].Short == c.e.Short)).ToList();
                var total = candidates.Sum(c => c.e.Popularity);
                var roll = random.Next(total);
                foreach (var (entity, index) in candidates)
                    if ((roll -= entity.Popularity) < 0)
                    {
                        cast.TryAdd(index, random.Next(100) < 55);
                        return index;
                    }
                return candidates[^1].i;
            }
            var names = new List<WrittenName>();
            var seen = new HashSet<int>();
            string Fill(string template, StoryField field, StringBuilder into)
            {
                var parts = template.Split('{', '}');
                for (var p = 0; p < parts.Length; p++)
                {
                    if (p % 2 == 0) { into.Append(parts[p]); continue; }
                    if (parts[p] == "D") { into.Append(Days[random.Next(Days.Length)]); continue; }
                    var type = parts[p] switch { "P" => EntityType.Person, "L" => EntityType.Location, _ => EntityType.Organization };
                    var real = Pick(type);
                    var entity = RealEntities[real];
                    // Headlines are short; the text gives the full name at first sight when the writer does, then short forms.
                    var name = field == StoryField.Title ? (random.Next(100) < 70 ? entity.Short : entity.Full)
                        : seen.Add(real) && cast[real] ? entity.Full
                        : entity.Names[random.Next(entity.Names.Length)];
                    names.Add(new WrittenName(field, into.Length, into.Length + name.Length, real));
                    into.Append(name);
                }
                return into.ToString();
            }
            var title = Fill(Titles[random.Next(Titles.Length)], StoryField.Title, new StringBuilder());
            var text = new StringBuilder();
            for (var s = 0; s < 3 + random.Next(3); s++)
            {
                if (s > 0) text.Append(' ');
                Fill(Sentences[random.Next(Sentences.Length)], StoryField.Text, text);
            }
            stories.Add(new GeneratedStory($"e{n}", title, text.ToString(), start.AddMinutes(n * 30.0 * 24 * 60 / count), names));
        }
        return stories;
    }
}
