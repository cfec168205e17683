using Aggregator.Core.Ingestion;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Aggregator.Nlp;
using Aggregator.Storage;
using Aggregator.Tests.Support;

namespace Aggregator.Tests.Stores;

/// <summary>
/// What every storage provider must do, checked through the store interfaces only, so that one suite runs against each
/// provider: a subclass names the provider's settings and cleans up after it. Mentions are built by hand rather than by
/// the tagger, so counts are exact. Publication times are fixed; what the store stamps from its clock (first seen,
/// created, stats) is checked against the real clock.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    /// <summary>A fixed time in the recent past: stories are published around it.</summary>
    protected static readonly DateTimeOffset Base = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far a time the store takes from its own clock (or its server's) may be from the test's.</summary>
    private static readonly TimeSpan ClockSlack = TimeSpan.FromMinutes(1);

    protected sealed record Named(string Name, EntityType Type);

    protected static readonly Named Lavrov = new("Sergei Lavrov", EntityType.Person);
    protected static readonly Named Guterres = new("António Guterres", EntityType.Person);
    protected static readonly Named Kabul = new("Kabul", EntityType.Location);
    protected static readonly Named Doha = new("Doha", EntityType.Location);
    protected static readonly Named Moscow = new("Moscow", EntityType.Location);
    protected static readonly Named Taliban = new("Taliban", EntityType.Organization);
    protected static readonly Named UnitedNations = new("United Nations", EntityType.Organization);

    private Pipeline? _pipeline;
    private Dictionary<string, string?> _storage = [];
    private int _sequence;

    /// <summary>The configuration of the provider under test on a store of its own, e.g. Storage:Provider and Storage:Sqlite:Path.</summary>
    protected abstract Task<Dictionary<string, string?>> ProviderSettingsAsync();

    /// <summary>
    /// Makes the store refuse writes until disposed, as an outage would: another process holding the write lock
    /// (SQLite), the server dropping every connection and refusing new ones (PostgreSQL).
    /// </summary>
    protected abstract Task<IAsyncDisposable> OutageAsync();

    /// <summary>
    /// Makes the store full until disposed, as a full disk would: writes that need room fail with the provider's own
    /// error (SQLite's file at Storage:Sqlite:MaxSizeMiB = 1; PostgreSQL raising disk_full).
    /// </summary>
    protected abstract Task<IAsyncDisposable> FullAsync();

    /// <summary>Removes the test's store (file, database) once the stores are disposed.</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    /// <summary>The stores' clock: the system's unless a test stops or advances it.</summary>
    protected SteerableClock Clock { get; } = new();

    /// <summary>As the service's default: polling sees a story two seconds after it was stored.</summary>
    protected static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    public async Task InitializeAsync()
    {
        var storage = await ProviderSettingsAsync();
        storage["Storage:SettleTime"] = SettleTime.ToString();
        _storage = storage;
        _pipeline = await Pipeline.CreateAsync(storage: storage, clock: Clock);
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_pipeline is not null) await _pipeline.DisposeAsync();
        }
        finally
        {
            await CleanupAsync();
        }
    }

    private Pipeline Pipeline => _pipeline ?? throw new InvalidOperationException("The stores are not set up yet.");
    protected IFeedStore Feeds => Pipeline.Feeds;
    protected IStoryStore Stories => Pipeline.Stories;
    protected IEntityStore Entities => Pipeline.Entities;
    protected IDatabaseMigrator Migrator => Pipeline.Get<IDatabaseMigrator>();

    /// <summary>The stores on this test's store, limited to 1 MiB on SQLite, probing writability on every ask.</summary>
    protected Task<Pipeline> PipelineWithSizeLimitAsync() => Pipeline.CreateAsync(
        new()
        {
            ["Storage:Sqlite:MaxSizeMiB"] = "1",
            ["Storage:ProbeInterval"] = "00:00:00",
            ["Storage:TransientRetryDelay"] = "00:00:00.010",
        },
        storage: _storage);

    /// <summary>The whole pipeline on this test's store, its story store wrapped to stage faults before the n-th save.</summary>
    protected Task<Pipeline> PipelineWithFaultsAsync(Func<int, Task> beforeSave) => Pipeline.CreateAsync(
        new()
        {
            ["Ingestion:FetchArticles"] = "false",
            ["Storage:SettleTime"] = "00:00:00",
            ["Storage:TransientRetries"] = "1",
            ["Storage:TransientRetryDelay"] = "00:00:00.010",
            ["Storage:Sqlite:BusyTimeout"] = "00:00:00.050",
        },
        storage: _storage, services: services => FaultyStories.Around(services, beforeSave));

    // ---------------------------------------------------------------- builders

    protected async Task<Feed> FeedAsync(string name) =>
        (await Feeds.AddAsync(new FeedDefinition($"https://{name.ToLowerInvariant()}.example.org/rss", name), reviveDeleted: false)).Feed;

    /// <summary>A story with its own GUID, link and content hash; tests change what matters to them with <c>with</c>.</summary>
    protected NewStory Draft(long feedId, DateTimeOffset published, string? title = null, string? text = null)
    {
        var n = Interlocked.Increment(ref _sequence);
        return new NewStory
        {
            FeedId = feedId,
            Guid = $"guid-{n}",
            Title = title ?? $"Report {n}",
            Link = $"https://news.example.org/{n}",
            Published = published,
            Text = text ?? $"Body of report {n}.",
            Extraction = ExtractionStatus.Extracted,
            ContentHash = $"hash-{n}",
            TaggerVersion = "test-1",
            Tagging = TaggingStatus.Tagged,
        };
    }

    /// <summary>A story whose text names the entities in order, each one tagged (an entity listed twice is mentioned twice).</summary>
    protected NewStory About(long feedId, DateTimeOffset published, params Named[] entities)
    {
        var draft = Draft(feedId, published);
        var text = string.Join(" and ", entities.Select(e => e.Name)) + $" made the news in {draft.Title}.";
        return draft with { Text = text, Mentions = Mentions(StoryField.Text, text, entities.Select(e => (e.Name, e.Name, e.Type)).ToArray()) };
    }

    /// <summary>Mentions of the surface forms, each found at its next occurrence in <paramref name="text"/> after the previous one.</summary>
    protected static List<StoryMention> Mentions(StoryField field, string text, params (string Surface, string Canonical, EntityType Type)[] found)
    {
        var mentions = new List<StoryMention>();
        var position = 0;
        foreach (var (surface, canonical, type) in found)
        {
            var start = text.IndexOf(surface, position, StringComparison.Ordinal);
            if (start < 0) throw new ArgumentException($"'{surface}' is not in '{text}' after position {position}.");
            mentions.Add(new StoryMention(field, start, start + surface.Length, type, surface, canonical));
            position = start + surface.Length;
        }
        return mentions;
    }

    protected async Task<long> StoreAsync(NewStory story)
    {
        var (id, result) = await Stories.SaveAsync(story);
        Assert.Equal(SaveResult.Stored, result);
        return id;
    }

    protected async Task<long> IdOfAsync(Named entity) => Assert.Single(await Entities.ResolveAsync(entity.Name, entity.Type));

    protected static SearchExpression Text(string query) => SearchExpression.Parse(query);

    protected async Task<List<string>> TitlesAsync(StoryQuery query) => (await Stories.SearchAsync(query)).Items.Select(i => i.Title).ToList();

    protected async Task<List<long>> IdsAsync(StoryQuery query) => (await Stories.SearchAsync(query)).Items.Select(i => i.Id).ToList();

    /// <summary>Every page of a search, following each page's cursor.</summary>
    protected async Task<List<StoryPage>> PagesAsync(StoryQuery query)
    {
        var pages = new List<StoryPage>();
        for (var page = await Stories.SearchAsync(query); ; page = await Stories.SearchAsync(query with { After = StoryCursor.Decode(page.Next) }))
        {
            pages.Add(page);
            if (page.Next is null || pages.Count > 50) return pages;
        }
    }

    /// <summary>
    /// Waits for the next millisecond. Ingestion order is (first seen, id) at millisecond precision, so stories stored
    /// within one millisecond sort by publication rather than by when they were stored.
    /// </summary>
    protected static async Task NextMillisecondAsync()
    {
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() <= start) await Task.Delay(1);
    }

    // ---------------------------------------------------------------- migrations

    [SkippableFact]
    public async Task Migrating_again_is_harmless()
    {
        var feed = await FeedAsync("Wire");
        var id = await StoreAsync(Draft(feed.Id, Base));
        var version = await Stories.VersionAsync();

        await Migrator.MigrateAsync();
        await Migrator.MigrateAsync();

        Assert.Equal(StoreCondition.Ready, await Stories.ConditionAsync());
        Assert.Equal(version.Version, (await Stories.VersionAsync()).Version);
        Assert.NotNull(await Stories.GetAsync(id));
        Assert.Equal([feed.Id], (await Feeds.ListAsync()).Select(f => f.Id));
    }

    // ---------------------------------------------------------------- feeds

    [SkippableFact]
    public async Task Adding_a_known_url_returns_the_existing_feed_unchanged()
    {
        var before = DateTimeOffset.UtcNow;
        var (wire, created) = await Feeds.AddAsync(new FeedDefinition("https://wire.example.org/rss", "Wire", 30, ["world", "politics"]), reviveDeleted: false);
        var (again, createdAgain) = await Feeds.AddAsync(new FeedDefinition("https://wire.example.org/rss", "Another name", 5), reviveDeleted: true);
        var (unnamed, _) = await Feeds.AddAsync(new FeedDefinition("https://daily.example.org/rss", null), reviveDeleted: false);

        Assert.True(created);
        Assert.Equal(("https://wire.example.org/rss", "Wire", 30, true, 0L), (wire.Url, wire.Name, wire.IntervalMinutes, wire.Enabled, wire.StoryCount));
        Assert.Equal(["world", "politics"], wire.Tags);
        Assert.InRange(wire.CreatedAt, before - ClockSlack, DateTimeOffset.UtcNow + ClockSlack);
        Assert.False(createdAgain);
        Assert.Equal((wire.Id, "Wire", 30), (again.Id, again.Name, again.IntervalMinutes)); // a seed file never overwrites
        Assert.NotEqual(wire.Id, unnamed.Id);
        Assert.Equal(("https://daily.example.org/rss", FeedDefaults.IntervalMinutes), (unnamed.Name, unnamed.IntervalMinutes)); // named after its URL
        Assert.Empty(unnamed.Tags);
        Assert.Equal(new FeedHealth(), unnamed.Health); // never polled

        var listed = await Feeds.ListAsync();
        var read = await Feeds.GetAsync(wire.Id);
        Assert.Equal([wire.Id, unnamed.Id], listed.Select(f => f.Id));
        Assert.Equal((wire.Url, "Wire", 30, wire.CreatedAt), (read!.Url, read.Name, read.IntervalMinutes, read.CreatedAt));
        Assert.Equal(["world", "politics"], read.Tags);
        Assert.Null(await Feeds.GetAsync(unnamed.Id + 1000));
    }

    [SkippableFact]
    public async Task Update_patches_only_the_given_fields()
    {
        var (feed, _) = await Feeds.AddAsync(new FeedDefinition("https://wire.example.org/rss", "Wire", 30, ["world"]), reviveDeleted: false);

        var renamed = await Feeds.UpdateAsync(feed.Id, new FeedPatch("Wire Service", null, null));
        var paused = await Feeds.UpdateAsync(feed.Id, new FeedPatch(null, 60, false));
        var read = await Feeds.GetAsync(feed.Id);

        Assert.Equal(("Wire Service", 30, true), (renamed!.Name, renamed.IntervalMinutes, renamed.Enabled));
        Assert.Equal(("Wire Service", 60, false), (paused!.Name, paused.IntervalMinutes, paused.Enabled));
        Assert.Equal((feed.Url, "Wire Service", 60, false), (read!.Url, read.Name, read.IntervalMinutes, read.Enabled));
        Assert.Equal(["world"], read.Tags);
        Assert.Null(await Feeds.UpdateAsync(feed.Id + 1000, new FeedPatch("Nobody", null, null)));
        Assert.True(await Feeds.DeleteAsync(feed.Id));
        Assert.Null(await Feeds.UpdateAsync(feed.Id, new FeedPatch("Deleted", null, null)));
    }

    [SkippableFact]
    public async Task A_deleted_feed_is_hidden_and_comes_back_only_when_revival_is_asked_for()
    {
        var wire = await FeedAsync("Wire");
        var daily = await FeedAsync("Daily");
        var storyId = await StoreAsync(Draft(wire.Id, Base));
        await Feeds.UpdateAsync(wire.Id, new FeedPatch(null, null, Enabled: false));

        Assert.True(await Feeds.DeleteAsync(wire.Id));
        Assert.False(await Feeds.DeleteAsync(wire.Id));
        Assert.False(await Feeds.DeleteAsync(daily.Id + 1000));
        Assert.Null(await Feeds.GetAsync(wire.Id));
        Assert.Equal([daily.Id], (await Feeds.ListAsync()).Select(f => f.Id));
        Assert.NotNull(await Stories.GetAsync(storyId)); // its stories stay

        var (kept, createdBySeed) = await Feeds.AddAsync(new FeedDefinition(wire.Url, "Wire"), reviveDeleted: false);
        Assert.False(createdBySeed);
        Assert.Equal(wire.Id, kept.Id);
        Assert.Null(await Feeds.GetAsync(wire.Id)); // still deleted

        var (revived, created) = await Feeds.AddAsync(new FeedDefinition(wire.Url, "Wire"), reviveDeleted: true);
        Assert.True(created);
        Assert.Equal(wire.Id, revived.Id);
        var read = await Feeds.GetAsync(wire.Id);
        Assert.True(read!.Enabled); // an operator re-adding a feed wants it polled
        Assert.Equal(1, read.StoryCount);
        Assert.Equal([wire.Id, daily.Id], (await Feeds.ListAsync()).Select(f => f.Id));
    }

    [SkippableFact]
    public async Task Health_is_recorded_and_read_back_to_the_millisecond()
    {
        var feed = await FeedAsync("Wire");
        var at = new DateTimeOffset(2026, 11, 28, 9, 15, 30, TimeSpan.FromHours(2)).AddTicks(1_234_567); // 123.4567 ms, not UTC
        var failing = new FeedHealth
        {
            LastAttemptAt = at,
            LastSuccessAt = at.AddMinutes(-15),
            LastStatus = 503,
            LastError = "Service Unavailable: «upstream» said 'no'",
            ConsecutiveFailures = 3,
            NotBefore = at.AddMinutes(20),
            ETag = "W/\"abc-123\"",
            LastModified = "Sat, 28 Nov 2026 07:00:00 GMT",
            Format = "Atom",
        };

        await Feeds.RecordHealthAsync(feed.Id, failing);
        AssertSameHealth(failing, (await Feeds.GetAsync(feed.Id))!.Health);
        AssertSameHealth(failing, (await Feeds.ListAsync()).Single().Health);

        // The next poll's record replaces every field, clearing those it leaves null.
        var recovered = new FeedHealth { LastAttemptAt = at.AddMinutes(30), LastSuccessAt = at.AddMinutes(30), LastStatus = 200 };
        await Feeds.RecordHealthAsync(feed.Id, recovered);
        AssertSameHealth(recovered, (await Feeds.GetAsync(feed.Id))!.Health);
    }

    private static void AssertSameHealth(FeedHealth expected, FeedHealth actual)
    {
        static long? Ms(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();
        Assert.Equal((Ms(expected.LastAttemptAt), Ms(expected.LastSuccessAt), Ms(expected.NotBefore)),
            (Ms(actual.LastAttemptAt), Ms(actual.LastSuccessAt), Ms(actual.NotBefore)));
        Assert.Equal(expected with { LastAttemptAt = null, LastSuccessAt = null, NotBefore = null },
            actual with { LastAttemptAt = null, LastSuccessAt = null, NotBefore = null });
    }

    [SkippableFact]
    public async Task Story_count_counts_the_stories_each_feed_carries()
    {
        var wire = await FeedAsync("Wire");
        var daily = await FeedAsync("Daily");
        var empty = await FeedAsync("Empty");
        var shared = Draft(wire.Id, Base);
        await StoreAsync(shared);
        await StoreAsync(Draft(wire.Id, Base.AddHours(1)));
        await StoreAsync(Draft(daily.Id, Base.AddHours(2)));
        await Stories.SaveAsync(Draft(daily.Id, Base.AddHours(3)) with { Link = shared.Link }); // carried by both
        await Stories.SaveAsync(shared); // seen again: not a second story

        var counts = (await Feeds.ListAsync()).ToDictionary(f => f.Id, f => f.StoryCount);

        Assert.Equal(new Dictionary<long, long> { [wire.Id] = 2, [daily.Id] = 2, [empty.Id] = 0 }, counts);
        Assert.Equal(2, (await Feeds.GetAsync(daily.Id))!.StoryCount);
    }

    // ---------------------------------------------------------------- leases

    [SkippableFact]
    public async Task A_lease_has_one_holder_until_its_holder_releases_it()
    {
        var feed = await FeedAsync("Wire");
        var other = await FeedAsync("Daily");
        var hour = TimeSpan.FromHours(1);

        Assert.True(await Feeds.TryLeaseAsync(feed.Id, "worker-a", hour));
        Assert.False(await Feeds.TryLeaseAsync(feed.Id, "worker-b", hour));
        Assert.True(await Feeds.RenewLeaseAsync(feed.Id, "worker-a", hour));
        Assert.False(await Feeds.RenewLeaseAsync(feed.Id, "worker-b", hour));
        Assert.True(await Feeds.TryLeaseAsync(other.Id, "worker-b", hour)); // leases are per feed

        await Feeds.ReleaseLeaseAsync(feed.Id, "worker-b"); // not the holder: nothing happens
        Assert.False(await Feeds.TryLeaseAsync(feed.Id, "worker-b", hour));

        await Feeds.ReleaseLeaseAsync(feed.Id, "worker-a");
        Assert.True(await Feeds.TryLeaseAsync(feed.Id, "worker-b", hour));
        Assert.False(await Feeds.RenewLeaseAsync(feed.Id, "worker-a", hour)); // a released lease is not a's any more
    }

    [SkippableFact]
    public async Task An_expired_lease_can_be_taken_and_its_old_holder_cannot_renew_it()
    {
        var feed = await FeedAsync("Wire");
        var hour = TimeSpan.FromHours(1);

        Assert.True(await Feeds.TryLeaseAsync(feed.Id, "worker-a", TimeSpan.FromMilliseconds(200)));
        await Task.Delay(500); // a worker that died mid-poll

        Assert.True(await Feeds.TryLeaseAsync(feed.Id, "worker-b", hour));
        Assert.False(await Feeds.RenewLeaseAsync(feed.Id, "worker-a", hour));
        Assert.False(await Feeds.TryLeaseAsync(feed.Id, "worker-a", hour));
        Assert.True(await Feeds.RenewLeaseAsync(feed.Id, "worker-b", hour));
    }

    [SkippableFact]
    public async Task Of_workers_racing_for_a_lease_exactly_one_wins()
    {
        var feed = await FeedAsync("Wire");

        var won = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Feeds.TryLeaseAsync(feed.Id, $"worker-{i}", TimeSpan.FromHours(1)))));

        Assert.Single(won, w => w);
    }

    // ---------------------------------------------------------------- saving stories

    [SkippableFact]
    public async Task The_same_guid_in_the_same_feed_is_the_story_already_stored()
    {
        var wire = await FeedAsync("Wire");
        var first = Draft(wire.Id, Base);

        var (id, result) = await Stories.SaveAsync(first);
        var (again, againResult) = await Stories.SaveAsync(first with
        {
            Title = "Edited title", Link = "https://news.example.org/edited", ContentHash = "edited", Published = Base.AddHours(1),
        });

        Assert.Equal(SaveResult.Stored, result);
        Assert.Equal((id, SaveResult.Duplicate), (again, againResult));
        Assert.Equal(first.Title, (await Stories.GetAsync(id))!.Title);
        Assert.Single((await Stories.SearchAsync(new StoryQuery())).Items);
    }

    [SkippableFact]
    public async Task The_same_link_from_another_feed_joins_the_story_to_that_feed()
    {
        var wire = await FeedAsync("Wire");
        var daily = await FeedAsync("Daily");
        var story = Draft(wire.Id, Base);
        var id = await StoreAsync(story);
        var copy = Draft(daily.Id, Base.AddMinutes(5)) with { Link = story.Link }; // its own GUID, title, text and hash

        var (copyId, result) = await Stories.SaveAsync(copy);

        Assert.Equal((id, SaveResult.Duplicate), (copyId, result));
        Assert.Equal([(wire.Id, "Wire"), (daily.Id, "Daily")], (await Stories.GetAsync(id))!.Feeds.Select(f => (f.Id, f.Name)).Order());
        Assert.Equal(new ExistingStory(id, true), await Stories.FindExistingAsync(daily.Id, copy.Guid, null)); // found by GUID next time
        Assert.Equal([id], await IdsAsync(new StoryQuery { FeedId = daily.Id }));
        Assert.Equal(story.Title, (await Stories.GetAsync(id))!.Title);
    }

    [SkippableFact]
    public async Task A_deleted_feed_is_no_longer_listed_among_the_feeds_of_its_stories()
    {
        var wire = await FeedAsync("Wire");
        var daily = await FeedAsync("Daily");
        var story = Draft(wire.Id, Base);
        var id = await StoreAsync(story);
        await Stories.SaveAsync(Draft(daily.Id, Base.AddMinutes(5)) with { Link = story.Link });

        await Feeds.DeleteAsync(daily.Id);

        Assert.Equal([wire.Id], (await Stories.GetAsync(id))!.Feeds.Select(f => f.Id));
        Assert.Equal([wire.Id], (await Stories.SearchAsync(new StoryQuery { Limit = 10 })).Items.Single().Feeds.Select(f => f.Id));
    }

    [SkippableFact]
    public async Task The_same_content_under_another_link_is_the_story_already_stored()
    {
        var wire = await FeedAsync("Wire");
        var daily = await FeedAsync("Daily");
        var story = Draft(wire.Id, Base);
        var id = await StoreAsync(story);

        var fromDaily = await Stories.SaveAsync(Draft(daily.Id, Base) with { ContentHash = story.ContentHash });
        var fromWire = await Stories.SaveAsync(Draft(wire.Id, Base) with { ContentHash = story.ContentHash, Link = null });

        Assert.Equal((id, SaveResult.Duplicate), fromDaily);
        Assert.Equal((id, SaveResult.Duplicate), fromWire);
        Assert.Equal([wire.Id, daily.Id], (await Stories.GetAsync(id))!.Feeds.Select(f => f.Id).Order());
    }

    [SkippableFact]
    public async Task A_link_that_identifies_no_item_joins_nothing_and_is_kept_to_show()
    {
        var podcast = await FeedAsync("Podcast");
        var daily = await FeedAsync("Daily");
        const string home = "https://podcast.example.org/";
        var first = Draft(podcast.Id, Base) with { Link = home, LinkIdentifies = false };
        var second = Draft(podcast.Id, Base.AddDays(7)) with { Link = home, LinkIdentifies = false };

        var one = await Stories.SaveAsync(first);
        var two = await Stories.SaveAsync(second);
        var review = await Stories.SaveAsync(Draft(daily.Id, Base.AddDays(8)) with { Link = home }); // identifies: but no story has it as its key

        Assert.Equal((SaveResult.Stored, SaveResult.Stored, SaveResult.Stored), (one.Result, two.Result, review.Result));
        Assert.Equal(3, new[] { one.StoryId, two.StoryId, review.StoryId }.Distinct().Count());
        Assert.Equal(home, (await Stories.GetAsync(one.StoryId))!.Link);
        Assert.Null(await Stories.FindExistingAsync(podcast.Id, "another-episode", null));
        Assert.Equal(new ExistingStory(review.StoryId, false), await Stories.FindExistingAsync(podcast.Id, "another-episode", home));
    }

    [SkippableFact]
    public async Task Within_a_feed_a_new_guid_under_a_known_link_is_a_new_story()
    {
        var podcast = await FeedAsync("Podcast");
        var daily = await FeedAsync("Daily");
        var first = Draft(podcast.Id, Base) with { Guid = "ep-1" };
        var id = await StoreAsync(first);

        var (nextId, next) = await Stories.SaveAsync(Draft(podcast.Id, Base.AddDays(7)) with { Guid = "ep-2", Link = first.Link }); // one episode per document
        var reused = await Stories.FindExistingAsync(podcast.Id, "ep-1 " + first.Link, first.Link); // ep-1's GUID, now told apart by its link
        var (joinedId, joined) = await Stories.SaveAsync(Draft(daily.Id, Base.AddDays(8)) with { Link = first.Link });

        Assert.Equal(SaveResult.Stored, next);
        Assert.NotEqual(id, nextId);
        Assert.Equal(first.Link, (await Stories.GetAsync(nextId))!.Link);
        Assert.Equal(new ExistingStory(id, false), reused);
        Assert.Equal((id, SaveResult.Duplicate), (joinedId, joined)); // the link still identifies the first story for other feeds
    }

    [SkippableFact]
    public async Task Each_feed_lists_a_shared_story_under_its_own_title()
    {
        var trusted = await FeedAsync("Trusted");
        var copycat = await FeedAsync("Copycat");
        var story = Draft(trusted.Id, Base, title: "Ministers agree on the budget") with { ItemTitle = "Budget agreed" };
        var id = await StoreAsync(story);

        var (joined, result) = await Stories.SaveAsync(Draft(copycat.Id, Base) with { Link = story.Link, Title = "Shocking budget scandal", ItemTitle = "Shocking budget scandal" });
        await Stories.LinkAsync(copycat.Id, "copycat-2", "Another fake title", id); // a second item of the copycat on the same story

        Assert.Equal((id, SaveResult.Duplicate), (joined, result));
        Assert.Equal("Ministers agree on the budget", (await Stories.GetAsync(id))!.Title);
        Assert.Equal(["Ministers agree on the budget"], await TitlesAsync(new StoryQuery()));
        Assert.Equal(["Budget agreed"], await TitlesAsync(new StoryQuery { FeedId = trusted.Id }));
        Assert.Equal(["Another fake title"], await TitlesAsync(new StoryQuery { FeedId = copycat.Id })); // the smallest of its titles
        Assert.Equal(["Budget agreed"], await TitlesAsync(new StoryQuery { FeedId = trusted.Id, Text = Text("ministers"), Sort = StorySort.Relevance }));
        Assert.Equal(["Budget agreed"], await TitlesAsync(new StoryQuery { FeedId = trusted.Id, Text = Text("budget") }));
    }

    [SkippableFact]
    public async Task Stories_without_a_link_are_not_duplicates_of_each_other()
    {
        var wire = await FeedAsync("Wire");

        var first = await Stories.SaveAsync(Draft(wire.Id, Base) with { Link = null });
        var second = await Stories.SaveAsync(Draft(wire.Id, Base.AddHours(1)) with { Link = null });

        Assert.Equal((SaveResult.Stored, SaveResult.Stored), (first.Result, second.Result));
        Assert.NotEqual(first.StoryId, second.StoryId);
        Assert.Null((await Stories.GetAsync(first.StoryId))!.Link);
    }

    [SkippableFact]
    public async Task FindExisting_and_Link_know_which_feed_carries_a_story_under_which_guid()
    {
        var wire = await FeedAsync("Wire");
        var daily = await FeedAsync("Daily");
        var story = Draft(wire.Id, Base);
        var id = await StoreAsync(story);

        Assert.Equal(new ExistingStory(id, true), await Stories.FindExistingAsync(wire.Id, story.Guid, null));
        Assert.Equal(new ExistingStory(id, true), await Stories.FindExistingAsync(wire.Id, story.Guid, "https://news.example.org/other"));
        Assert.Equal(new ExistingStory(id, false), await Stories.FindExistingAsync(daily.Id, "daily-7", story.Link));
        Assert.Null(await Stories.FindExistingAsync(daily.Id, story.Guid, null)); // a GUID means something only within its feed
        Assert.Null(await Stories.FindExistingAsync(wire.Id, "unknown", "https://news.example.org/unknown"));

        await Stories.LinkAsync(daily.Id, "daily-7", "Daily's title", id);
        await Stories.LinkAsync(daily.Id, "daily-7", "Daily's title", id); // again: harmless

        Assert.Equal(new ExistingStory(id, true), await Stories.FindExistingAsync(daily.Id, "daily-7", null));
        Assert.Equal([wire.Id, daily.Id], (await Stories.GetAsync(id))!.Feeds.Select(f => f.Id).Order());
        Assert.Equal(1, (await Feeds.GetAsync(daily.Id))!.StoryCount);
    }

    [SkippableFact]
    public async Task A_stored_story_reads_back_whole()
    {
        var wire = await FeedAsync("Wire");
        var daily = await FeedAsync("Daily");
        const string title = "Lavrov lands in Kabul";
        const string text = "Sergei Lavrov arrived in Kabul on Monday. Lavrov met Taliban envoys.";
        List<StoryMention> mentions =
        [
            ..Mentions(StoryField.Text, text, ("Sergei Lavrov", Lavrov.Name, EntityType.Person), ("Kabul", Kabul.Name, EntityType.Location),
                ("Lavrov", Lavrov.Name, EntityType.Person), ("Taliban", Taliban.Name, EntityType.Organization)),
            ..Mentions(StoryField.Title, title, ("Lavrov", Lavrov.Name, EntityType.Person), ("Kabul", Kabul.Name, EntityType.Location)),
        ];
        var published = new DateTimeOffset(2026, 11, 3, 8, 30, 15, TimeSpan.FromHours(-5)).AddTicks(9_876_543); // 987.6543 ms, not UTC
        var story = Draft(wire.Id, published, title, text) with
        {
            Author = "Jane Reporter", Summary = "Lavrov visits Kabul.", Extraction = ExtractionStatus.FeedContent, Mentions = mentions, TaggerVersion = "ner-7",
            Language = "en",
        };
        var before = DateTimeOffset.UtcNow;
        var id = await StoreAsync(story);
        await Stories.LinkAsync(daily.Id, "daily-guid", null, id);
        var bare = await StoreAsync(Draft(wire.Id, Base) with { Link = null, TaggerVersion = null, Tagging = null, Extraction = ExtractionStatus.NotAttempted });

        var read = (await Stories.GetAsync(id))!;
        var readBare = (await Stories.GetAsync(bare))!;

        Assert.Equal(id, read.Id);
        Assert.Equal((story.Title, story.Link, story.Author, story.Summary, story.Text, story.Extraction, story.TaggerVersion, "en", "tagged"),
            (read.Title, read.Link, read.Author, read.Summary, read.Text, read.Extraction, read.TaggerVersion, read.Language, read.Tagging));
        Assert.Equal(published.ToUnixTimeMilliseconds(), read.Published.ToUnixTimeMilliseconds());
        Assert.InRange(read.FirstSeen, before - ClockSlack, DateTimeOffset.UtcNow + ClockSlack);
        Assert.Equal([(wire.Id, "Wire"), (daily.Id, "Daily")], read.Feeds.Select(f => (f.Id, f.Name)).Order());
        Assert.Equal(mentions.OrderBy(m => m.Field).ThenBy(m => m.Start), read.Mentions.Select(m => m with { EntityId = null })); // title first, then by offset
        foreach (var mention in read.Mentions) Assert.Equal([mention.EntityId!.Value], await Entities.ResolveAsync(mention.Canonical, mention.Type));
        Assert.Equal((null, null, null, null, ExtractionStatus.NotAttempted, null, null),
            (readBare.Link, readBare.Author, readBare.Summary, readBare.TaggerVersion, readBare.Extraction, readBare.Language, readBare.Tagging));
        Assert.Empty(readBare.Mentions);
        Assert.Null(await Stories.GetAsync(Math.Max(id, bare) + 1));
    }

    [SkippableFact]
    public async Task SaveMany_finds_duplicates_inside_the_batch_and_among_stored_stories()
    {
        var wire = await FeedAsync("Wire");
        var daily = await FeedAsync("Daily");
        var old = Draft(wire.Id, Base);
        var oldId = await StoreAsync(old);
        var a = About(wire.Id, Base.AddHours(1), Kabul, Kabul);
        var b = Draft(wire.Id, Base.AddHours(2));

        var results = await Stories.SaveManyAsync(
        [
            a,
            a with { Title = "Retitled" },                                      // a's GUID again, in the same feed
            About(daily.Id, Base.AddHours(3), Kabul) with { Link = a.Link },     // a's link, from another feed
            b,
            Draft(daily.Id, Base.AddHours(4)) with { ContentHash = b.ContentHash }, // b's content under another link
            Draft(daily.Id, Base.AddHours(5)) with { Link = old.Link },           // a story stored before the batch
        ]);

        var (aId, bId) = (results[0].StoryId, results[3].StoryId);
        Assert.Equal(
            [(aId, SaveResult.Stored), (aId, SaveResult.Duplicate), (aId, SaveResult.Duplicate), (bId, SaveResult.Stored), (bId, SaveResult.Duplicate), (oldId, SaveResult.Duplicate)],
            results);
        Assert.Equal(3, new[] { oldId, aId, bId }.Distinct().Count());
        Assert.Equal(new[] { oldId, aId, bId }.OrderDescending(), await IdsAsync(new StoryQuery()));
        foreach (var storyId in new[] { oldId, aId, bId })
            Assert.Equal([wire.Id, daily.Id], (await Stories.GetAsync(storyId))!.Feeds.Select(f => f.Id).Order());
        var kabul = await Entities.GetAsync(await IdOfAsync(Kabul));
        Assert.Equal((2L, 1L), (kabul!.Mentions, kabul.Stories)); // the duplicates' mentions are not counted
    }

    [SkippableFact]
    public async Task Ids_follow_publication_time_even_within_one_millisecond()
    {
        var wire = await FeedAsync("Wire");
        var sameMillisecond = Base.AddHours(3);
        DateTimeOffset[] times =
        [
            Base.AddHours(5), Base.AddHours(1), sameMillisecond, sameMillisecond.AddTicks(5_000), Base.AddDays(-400),
            sameMillisecond, Base.AddHours(2), sameMillisecond.AddTicks(9_999), Base.AddHours(3).AddMilliseconds(1),
        ];

        var saved = new List<(long Id, long Ms)>();
        foreach (var time in times) saved.Add((await StoreAsync(Draft(wire.Id, time)), time.ToUnixTimeMilliseconds()));
        var listed = (await Stories.SearchAsync(new StoryQuery { Limit = StoryQuery.MaxLimit })).Items;

        Assert.Equal(times.Length, saved.Select(s => s.Id).Distinct().Count());
        Assert.Equal(saved.Select(s => s.Ms).Order(), saved.OrderBy(s => s.Id).Select(s => s.Ms)); // id order is publication order
        Assert.Equal(saved.Select(s => s.Id).OrderDescending(), listed.Select(i => i.Id));          // newest first
        Assert.Equal(saved.Select(s => s.Ms).OrderDescending(), listed.Select(i => i.Published.ToUnixTimeMilliseconds()));
    }

    /// <summary>Feeds that give dates only (or minutes) publish many stories at one instant; none may be refused for it.</summary>
    [SkippableFact]
    public virtual async Task More_than_a_thousand_stories_published_in_one_millisecond_are_all_stored()
    {
        var wire = await FeedAsync("Wire");
        var later = await StoreAsync(Draft(wire.Id, Base.AddMilliseconds(1)));

        var results = await Stories.SaveManyAsync(Enumerable.Range(0, 1_100).Select(_ => Draft(wire.Id, Base)).ToList());

        Assert.All(results, r => Assert.Equal(SaveResult.Stored, r.Result));
        Assert.Equal(1_100, results.Select(r => r.StoryId).Distinct().Count());
        Assert.DoesNotContain(later, results.Select(r => r.StoryId));
        Assert.Equal(Base, (await Stories.GetAsync(results[^1].StoryId))!.Published);
        Assert.Equal(1_101, (await Feeds.GetAsync(wire.Id))!.StoryCount);
    }

    [SkippableFact]
    public async Task Concurrent_writers_store_one_story_once()
    {
        var feeds = new List<Feed>();
        foreach (var name in new[] { "Wire", "Daily", "Weekly", "Hourly" }) feeds.Add(await FeedAsync(name));
        var story = Draft(feeds[0].Id, Base);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Stories.SaveAsync(story with { FeedId = feeds[i % 4].Id, Guid = $"item-{i % 4}" }))));

        Assert.Single(results, r => r.Result == SaveResult.Stored);
        var id = Assert.Single(results.Select(r => r.StoryId).Distinct());
        Assert.Equal(feeds.Select(f => f.Id), (await Stories.GetAsync(id))!.Feeds.Select(f => f.Id).Order());
    }

    // ---------------------------------------------------------------- search

    /// <summary>Five stories an hour apart from Base + 1 h, on two feeds; words chosen to be neither stop words nor stemmed together.</summary>
    protected async Task<(Feed Wire, Feed Daily, long[] Ids)> SearchCorpusAsync()
    {
        var wire = await FeedAsync("Wire");
        var daily = await FeedAsync("Daily");
        long[] ids =
        [
            await StoreAsync(Draft(wire.Id, Base.AddHours(1), "Ceasefire talks resume in Doha",
                "Negotiators met in Doha on Monday. Envoys from Kabul attended the peace talks.")),
            await StoreAsync(Draft(wire.Id, Base.AddHours(2), "Harvest festival opens",
                "Farmers in Tashkent celebrated the crops; talks about peace were not on the agenda.")),
            await StoreAsync(Draft(daily.Id, Base.AddHours(3), "Markets rally",
                "Stocks rose in Zürich as negotiations on trade continued.")),
            await StoreAsync(Draft(daily.Id, Base.AddHours(4), "Airport reopens",
                "Flights resumed at Kabul airport after repairs. <script>alert(1)</script> & more")),
            await StoreAsync(Draft(daily.Id, Base.AddHours(5), "Valley weather report",
                "The harvest was late this year in the valley.")),
        ];
        return (wire, daily, ids);
    }

    [SkippableFact]
    public async Task Search_matches_words_phrases_prefixes_exclusions_and_alternatives()
    {
        await SearchCorpusAsync();
        (string Query, string Titles)[] expected =
        [
            ("doha", "Ceasefire talks resume in Doha"),
            ("KABUL", "Airport reopens | Ceasefire talks resume in Doha"),               // case folded, newest first
            ("kabul doha", "Ceasefire talks resume in Doha"),                             // every word must match
            ("talks", "Harvest festival opens | Ceasefire talks resume in Doha"),
            ("\"peace talks\"", "Ceasefire talks resume in Doha"),                        // not "talks about peace"
            ("negot*", "Markets rally | Ceasefire talks resume in Doha"),
            ("talks -doha", "Harvest festival opens"),
            ("kabul -\"kabul airport\"", "Ceasefire talks resume in Doha"),
            ("tashkent OR airport", "Airport reopens | Harvest festival opens"),
            ("\"peace talks\" OR weather", "Valley weather report | Ceasefire talks resume in Doha"),
            ("zeppelin", ""),
            ("kabul zeppelin", ""),
        ];

        var actual = new List<(string, string)>();
        foreach (var (query, _) in expected)
            actual.Add((query, string.Join(" | ", await TitlesAsync(new StoryQuery { Text = Text(query) }))));

        Assert.Equal(expected, actual);
    }

    [SkippableFact]
    public async Task Search_filters_by_feed_and_by_publication_range()
    {
        var (wire, daily, _) = await SearchCorpusAsync();

        Assert.Equal(["Harvest festival opens", "Ceasefire talks resume in Doha"], await TitlesAsync(new StoryQuery { FeedId = wire.Id }));
        Assert.Equal(["Airport reopens"], await TitlesAsync(new StoryQuery { FeedId = daily.Id, Text = Text("kabul") }));
        Assert.Empty(await TitlesAsync(new StoryQuery { FeedId = daily.Id + 1000 }));
        // From is inclusive, To exclusive.
        Assert.Equal(["Markets rally", "Harvest festival opens"], await TitlesAsync(new StoryQuery { From = Base.AddHours(2), To = Base.AddHours(4) }));
        Assert.Equal(["Airport reopens", "Harvest festival opens"], await TitlesAsync(new StoryQuery { From = Base.AddHours(2), Text = Text("kabul OR tashkent") }));
        Assert.Equal(["Ceasefire talks resume in Doha"], await TitlesAsync(new StoryQuery { To = Base.AddHours(2), Text = Text("kabul OR tashkent") }));
        Assert.Equal(["Harvest festival opens"], await TitlesAsync(new StoryQuery { FeedId = wire.Id, From = Base.AddHours(1).AddMilliseconds(1) }));
    }

    [SkippableFact]
    public async Task Search_filters_by_language_alone_and_with_text_feed_entities_and_paging()
    {
        var wire = await FeedAsync("Wire");
        var daily = await FeedAsync("Daily");
        var englishKabul = await StoreAsync(About(wire.Id, Base.AddHours(1), Kabul) with { Title = "Kabul airport reopens", Language = "en" });
        var germanKabul = await StoreAsync(Draft(wire.Id, Base.AddHours(2), "Flughafen Kabul wieder offen", "Der Flughafen in Kabul ist wieder offen.") with
        {
            Language = "de", Tagging = TaggingStatus.SkippedForLanguage("de"),
        });
        var germanDoha = await StoreAsync(Draft(daily.Id, Base.AddHours(3), "Gespräche in Doha", "Die Gespräche in Doha gehen weiter.") with
        {
            Language = "de", Tagging = TaggingStatus.SkippedForLanguage("de"),
        });
        var french = await StoreAsync(Draft(daily.Id, Base.AddHours(4), "L'aéroport de Kaboul rouvre", "L'aéroport de Kaboul a rouvert.") with { Language = "fr" });
        var unknown = await StoreAsync(Draft(daily.Id, Base.AddHours(5), "Kabul", "Kabul."));

        Assert.Equal([germanDoha, germanKabul], await IdsAsync(new StoryQuery { Language = "de" }));
        Assert.Equal([french], await IdsAsync(new StoryQuery { Language = "fr" }));
        Assert.Empty(await IdsAsync(new StoryQuery { Language = "es" }));
        Assert.Equal([unknown, french, germanDoha, germanKabul, englishKabul], await IdsAsync(new StoryQuery())); // no filter: every language and none
        Assert.Equal([germanKabul], await IdsAsync(new StoryQuery { Language = "de", Text = Text("kabul") }));
        Assert.Equal([germanKabul], await IdsAsync(new StoryQuery { Language = "de", Text = Text("kabul"), Sort = StorySort.Relevance }));
        Assert.Equal([germanDoha], await IdsAsync(new StoryQuery { Language = "de", FeedId = daily.Id }));
        Assert.Equal([germanKabul], await IdsAsync(new StoryQuery { Language = "de", To = Base.AddHours(3) }));
        var kabul = await Entities.ResolveAsync(Kabul.Name, Kabul.Type);
        Assert.Equal([englishKabul], await IdsAsync(new StoryQuery { Language = "en", EntityFilters = [kabul] }));
        Assert.Empty(await IdsAsync(new StoryQuery { Language = "de", EntityFilters = [kabul] }));
        Assert.Equal([[germanDoha], [germanKabul]], (await PagesAsync(new StoryQuery { Language = "de", Limit = 1 })).Select(p => p.Items.Select(i => i.Id).ToList()));

        var listed = (await Stories.SearchAsync(new StoryQuery())).Items.ToDictionary(i => i.Id, i => i.Language);
        Assert.Equal(("en", "de", "fr", null), (listed[englishKabul], listed[germanKabul], listed[french], listed[unknown]));
        Assert.Equal("de", Assert.Single((await Stories.SearchAsync(new StoryQuery { Text = Text("doha") })).Items).Language);
    }

    [SkippableFact]
    public async Task Snippets_are_escaped_html_with_marked_matches()
    {
        var (_, _, ids) = await SearchCorpusAsync();
        var airport = ids[3];

        foreach (var sort in new[] { StorySort.Published, StorySort.Relevance })
        {
            var items = (await Stories.SearchAsync(new StoryQuery { Text = Text("kabul"), Sort = sort })).Items;
            var snippet = items.Single(i => i.Id == airport).Snippet!;
            Assert.Contains("<mark>Kabul</mark>", snippet);
            // Tag-like text is escaped (SQLite's snippet) or left out (PostgreSQL's headline parser skips tags), never
            // passed through as markup.
            Assert.DoesNotContain("<script>", snippet);
            Assert.Contains("alert(1)", snippet);
            Assert.Contains("&amp;", snippet);
            Assert.DoesNotContain("<mark>Doha</mark>", items.Single(i => i.Id == ids[0]).Snippet); // only what was searched for
        }
        var listed = (await Stories.SearchAsync(new StoryQuery())).Items; // no search text: still escaped
        Assert.Contains("&lt;script&gt;", listed.Single(i => i.Id == airport).Snippet);
        Assert.All(listed, i => Assert.DoesNotContain("<script>", i.Snippet ?? ""));
    }

    [SkippableFact]
    public async Task Relevance_ranks_a_title_match_above_a_text_only_match_and_pages_on()
    {
        await SearchCorpusAsync();

        var byDate = await TitlesAsync(new StoryQuery { Text = Text("harvest") });
        var pages = await PagesAsync(new StoryQuery { Text = Text("harvest"), Sort = StorySort.Relevance, Limit = 1 });

        Assert.Equal(["Valley weather report", "Harvest festival opens"], byDate);
        Assert.Equal(["Harvest festival opens", "Valley weather report"], pages.SelectMany(p => p.Items).Select(i => i.Title));
        Assert.Equal(2, pages.Count); // the second page is the last
    }

    [SkippableFact]
    public async Task Cursor_paging_visits_every_story_exactly_once()
    {
        var wire = await FeedAsync("Wire");
        var ids = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            // Five stories share one millisecond: the cursor must not skip or repeat any of them.
            var published = i < 5 ? Base.AddHours(1).AddTicks(i * 1_000) : Base.AddHours(i);
            ids.Add(await StoreAsync(Draft(wire.Id, published, text: $"Morning bulletin number {i}.")));
        }

        var plain = await PagesAsync(new StoryQuery { Limit = 5 });
        var searched = await PagesAsync(new StoryQuery { Text = Text("bulletin"), Limit = 4 });

        Assert.Equal(ids.OrderDescending(), plain.SelectMany(p => p.Items).Select(i => i.Id));
        Assert.Equal([5, 5, 2], plain.Select(p => p.Items.Count));
        Assert.Equal(ids.OrderDescending(), searched.SelectMany(p => p.Items).Select(i => i.Id));
        Assert.Equal([4, 4, 4], searched.Select(p => p.Items.Count)); // no empty page after a full last one
    }

    [SkippableFact]
    public async Task Since_polling_returns_only_what_was_stored_after_the_token()
    {
        var wire = await FeedAsync("Wire");
        var daily = await FeedAsync("Daily");
        var seen = Draft(wire.Id, Base.AddHours(1));
        await StoreAsync(seen);
        await StoreAsync(About(wire.Id, Base.AddHours(2), Kabul));
        Clock.Advance(SettleTime);
        var token = (await Stories.SearchAsync(new StoryQuery { Limit = 1 })).Since;
        var nothingYet = await Stories.SearchAsync(new StoryQuery { Since = IngestionCursor.Decode(token!) });
        await NextMillisecondAsync();

        var stored = new List<long>();
        foreach (var story in new[] { About(wire.Id, Base.AddDays(-30), Kabul), Draft(wire.Id, Base.AddHours(9)), About(wire.Id, Base.AddHours(5), Kabul) })
        {
            stored.Add(await StoreAsync(story)); // published long ago, newest, in between: ingestion order is storing order
            await NextMillisecondAsync();
        }
        await Stories.SaveAsync(seen with { FeedId = daily.Id, Guid = "daily-1" }); // an old story in one more feed is not new

        Clock.Advance(SettleTime);
        var first = await Stories.SearchAsync(new StoryQuery { Since = IngestionCursor.Decode(token!), Limit = 2 });
        var second = await Stories.SearchAsync(new StoryQuery { Since = IngestionCursor.Decode(first.Since!), Limit = 2 });
        var third = await Stories.SearchAsync(new StoryQuery { Since = IngestionCursor.Decode(second.Since!), Limit = 2 });
        var kabul = await Stories.SearchAsync(new StoryQuery { Since = IngestionCursor.Decode(token!), Text = Text("kabul") });

        Assert.Empty(nothingYet.Items);
        Assert.Equal(stored.Take(2), first.Items.Select(i => i.Id));
        Assert.Equal(stored.Skip(2), second.Items.Select(i => i.Id));
        Assert.Empty(third.Items);
        Assert.NotNull(third.Since); // an empty answer still gives a token to poll with
        Assert.Equal([stored[0], stored[2]], kabul.Items.Select(i => i.Id));
    }

    [SkippableFact]
    public async Task Since_polling_never_steps_past_a_story_stored_in_the_same_millisecond_with_a_smaller_id()
    {
        var wire = await FeedAsync("Wire");
        Clock.Stop(); // both stories are first seen in the same millisecond, as under concurrent writers
        var token = (await Stories.SearchAsync(new StoryQuery { Limit = 1 })).Since;
        var later = await StoreAsync(Draft(wire.Id, Base.AddHours(2)));
        var polledEarly = await Stories.SearchAsync(new StoryQuery { Since = IngestionCursor.Decode(token!) });
        var earlier = await StoreAsync(Draft(wire.Id, Base.AddHours(1))); // published earlier: the smaller id
        Clock.Advance(SettleTime);
        var polled = await Stories.SearchAsync(new StoryQuery { Since = IngestionCursor.Decode(polledEarly.Since!) });

        Assert.True(earlier < later);
        Assert.Empty(polledEarly.Items); // not yet settled: the poller keeps its position
        Assert.Equal([earlier, later], polled.Items.Select(i => i.Id));
    }

    [SkippableFact]
    public async Task Entity_filters_match_one_all_or_any_and_combine_with_text()
    {
        var wire = await FeedAsync("Wire");
        var jordanPerson = new Named("Jordan", EntityType.Person);
        var jordanRiver = new Named("Jordan", EntityType.Location);
        var both = await StoreAsync(About(wire.Id, Base.AddHours(1), Kabul, Taliban));
        var kabulOnly = About(wire.Id, Base.AddHours(2), Kabul);
        var airlift = await StoreAsync(kabulOnly with { Text = kabulOnly.Text + " The airlift went on." });
        var taliban = await StoreAsync(About(wire.Id, Base.AddHours(3), Taliban));
        var person = await StoreAsync(About(wire.Id, Base.AddHours(4), jordanPerson));
        var river = await StoreAsync(About(wire.Id, Base.AddHours(5), jordanRiver));
        await StoreAsync(Draft(wire.Id, Base.AddHours(6), text: "Kabul residents queued for bread.")); // the word, untagged
        var kabulIds = await Entities.ResolveAsync("Kabul", null);
        var talibanIds = await Entities.ResolveAsync("Taliban", null);
        var jordanIds = await Entities.ResolveAsync("jordan", null);

        Assert.Equal([airlift, both], await IdsAsync(new StoryQuery { EntityFilters = [kabulIds] }));
        Assert.Equal([both], await IdsAsync(new StoryQuery { EntityFilters = [kabulIds, talibanIds] }));
        Assert.Equal([taliban, airlift, both], await IdsAsync(new StoryQuery { EntityFilters = [kabulIds, talibanIds], MatchAny = true }));
        Assert.Equal([river, person], await IdsAsync(new StoryQuery { EntityFilters = [jordanIds] })); // one name, two entities
        Assert.Equal([airlift], await IdsAsync(new StoryQuery { EntityFilters = [kabulIds], Text = Text("airlift") }));
        Assert.Empty(await IdsAsync(new StoryQuery { EntityFilters = [kabulIds], Text = Text("bread") }));
        Assert.Equal([airlift], await IdsAsync(new StoryQuery { EntityFilters = [kabulIds], From = Base.AddHours(2) }));
        Assert.Empty(await IdsAsync(new StoryQuery { Text = Text($"e{kabulIds[0]}") })); // how entities are indexed is not searchable text
        // Nor is it what a reader sees: snippets come from the story's own words, with or without search text.
        var byEntity = await Stories.SearchAsync(new StoryQuery { EntityFilters = [kabulIds, talibanIds], MatchAny = true });
        var withText = await Stories.SearchAsync(new StoryQuery { EntityFilters = [kabulIds], Text = Text("airlift") });
        Assert.All(byEntity.Items.Concat(withText.Items), item => Assert.DoesNotMatch(@"\be\d+\b", item.Snippet ?? ""));
        Assert.Contains("<mark>airlift</mark>", withText.Items.Single().Snippet);
    }

    // ---------------------------------------------------------------- tags

    [SkippableFact]
    public async Task Retagging_replaces_mentions_and_keeps_entity_counts_exact()
    {
        var wire = await FeedAsync("Wire");
        var current = new Dictionary<long, IReadOnlyList<StoryMention>>();
        const string title = "Lavrov lands in Kabul";
        const string text = "Sergei Lavrov arrived in Kabul. Lavrov met Taliban envoys.";
        List<StoryMention> tagged =
        [
            ..Mentions(StoryField.Title, title, ("Lavrov", Lavrov.Name, EntityType.Person), ("Kabul", Kabul.Name, EntityType.Location)),
            ..Mentions(StoryField.Text, text, ("Sergei Lavrov", Lavrov.Name, EntityType.Person), ("Kabul", Kabul.Name, EntityType.Location),
                ("Lavrov", Lavrov.Name, EntityType.Person), ("Taliban", Taliban.Name, EntityType.Organization)),
        ];
        var s1 = await StoreAsync(Draft(wire.Id, Base.AddHours(1), title, text) with { Mentions = tagged });
        current[s1] = tagged;
        var second = About(wire.Id, Base.AddHours(2), Taliban, Kabul);
        var s2 = await StoreAsync(second);
        current[s2] = second.Mentions;
        const string thirdText = "Envoys flew from Doha to Kabul.";
        var s3 = await StoreAsync(Draft(wire.Id, Base.AddHours(3), text: thirdText));
        current[s3] = [];
        await AssertCountsMatchAsync(current);

        List<StoryMention> retagged =
        [
            ..Mentions(StoryField.Title, title, ("Kabul", Kabul.Name, EntityType.Location)),
            ..Mentions(StoryField.Text, text, ("Sergei Lavrov", Lavrov.Name, EntityType.Person)),
        ];
        // Canonical names differing only in case are one entity.
        var third = Mentions(StoryField.Text, thirdText, ("Doha", Doha.Name, EntityType.Location), ("Kabul", "KABUL", EntityType.Location));
        await Stories.ReplaceTagsAsync(s1, new StoryTags(retagged, "test-2"));
        await Stories.ReplaceTagsAsync(s2, new StoryTags([], "test-2"));
        await Stories.ReplaceTagsAsync(s3, new StoryTags(third, "test-2"));
        (current[s1], current[s2], current[s3]) = (retagged, [], third);
        await AssertCountsMatchAsync(current);
        await Stories.ReplaceTagsAsync(s1, new StoryTags(retagged, "test-2")); // the same tags again change nothing
        await AssertCountsMatchAsync(current);

        var read = (await Stories.GetAsync(s1))!;
        Assert.Equal("test-2", read.TaggerVersion);
        Assert.Equal(retagged.OrderBy(m => m.Field).ThenBy(m => m.Start), read.Mentions.Select(m => m with { EntityId = null }));
        Assert.Empty((await Stories.GetAsync(s2))!.Mentions);
        Assert.Equal(Kabul.Name, (await Stories.GetAsync(s3))!.Mentions.Single(m => m.Type == EntityType.Location && m.Text == "Kabul").Canonical);
        var kabulIds = await Entities.ResolveAsync("kabul", null);
        Assert.Single(kabulIds);
        Assert.Equal([s3, s1], await IdsAsync(new StoryQuery { EntityFilters = [kabulIds] })); // the index follows the new tags
        Assert.Empty(await IdsAsync(new StoryQuery { EntityFilters = [await Entities.ResolveAsync("Taliban", null)] }));
        Assert.DoesNotContain(Taliban.Name, (await Entities.ListAsync(new EntityQuery())).Select(e => e.Name)); // no stories left
    }

    /// <summary>Compares each entity's counters with a recount of the mentions the stories have now.</summary>
    private async Task AssertCountsMatchAsync(Dictionary<long, IReadOnlyList<StoryMention>> current)
    {
        foreach (var entity in new[] { Lavrov, Kabul, Taliban, Doha })
        {
            var inStories = current.Values
                .Select(mentions => mentions.Count(m => m.Type == entity.Type && string.Equals(m.Canonical, entity.Name, StringComparison.OrdinalIgnoreCase)))
                .Where(n => n > 0).ToList();
            var ids = await Entities.ResolveAsync(entity.Name, entity.Type);
            var detail = ids.Count == 0 ? null : await Entities.GetAsync(Assert.Single(ids)); // never mentioned yet: no entity
            Assert.Equal((entity.Name, (long)inStories.Sum(), (long)inStories.Count), (entity.Name, detail?.Mentions ?? 0, detail?.Stories ?? 0));
        }
    }

    [SkippableFact]
    public async Task Untagged_lists_stories_of_other_tagger_versions_or_without_tagging_status_in_id_order()
    {
        var wire = await FeedAsync("Wire");
        var a = await StoreAsync(Draft(wire.Id, Base.AddHours(1), "Story A", "Text of A") with { TaggerVersion = "ner-1", Language = "de" });
        await StoreAsync(Draft(wire.Id, Base.AddHours(2)) with { TaggerVersion = "ner-2" });
        var c = await StoreAsync(Draft(wire.Id, Base.AddHours(3), "Story C", "Text of C") with { TaggerVersion = null, Tagging = null });
        var d = await StoreAsync(Draft(wire.Id, Base, "Story D", "Text of D") with { TaggerVersion = "ner-1" });
        // Tagged by this version, but before languages were detected.
        var e = await StoreAsync(Draft(wire.Id, Base.AddHours(4), "Story E", "Text of E") with { TaggerVersion = "ner-2", Tagging = null });

        Assert.Equal([(d, "Story D", "Text of D", null), (a, "Story A", "Text of A", "de"), (c, "Story C", "Text of C", null), (e, "Story E", "Text of E", null)],
            (await Stories.UntaggedAsync("ner-2", 0, 10)).Select(s => (s.Id, s.Title, s.Text, s.Language)));
        Assert.Equal([Base, Base.AddHours(1), Base.AddHours(3), Base.AddHours(4)], (await Stories.UntaggedAsync("ner-2", 0, 10)).Select(s => s.Published));
        Assert.Equal([c, e], (await Stories.UntaggedAsync("ner-2", a, 10)).Select(s => s.Id));
        Assert.Equal([d], (await Stories.UntaggedAsync("ner-2", 0, 1)).Select(s => s.Id));

        await Stories.ReplaceTagsAsync(a, new StoryTags([], "ner-2", "de", TaggingStatus.SkippedForLanguage("de")));
        await Stories.ReplaceTagsAsync(e, new StoryTags([], "ner-2", "fr", TaggingStatus.SkippedForLanguage("fr")));

        Assert.Equal([d, c], (await Stories.UntaggedAsync("ner-2", 0, 10)).Select(s => s.Id));
        var read = (await Stories.GetAsync(e))!;
        Assert.Equal(("ner-2", "fr", "skipped: language fr"), (read.TaggerVersion, read.Language, read.Tagging));
    }

    // ---------------------------------------------------------------- entities

    /// <summary>Lavrov in two stories (three mentions, under two names), Moscow in three, and two different entities called Jordan.</summary>
    private async Task<(Named JordanPerson, Named JordanRiver)> EntityCorpusAsync()
    {
        var wire = await FeedAsync("Wire");
        var jordanPerson = new Named("Jordan", EntityType.Person);
        var jordanRiver = new Named("Jordan", EntityType.Location);
        const string text = "Sergei Lavrov spoke in Moscow. Lavrov then left.";
        await StoreAsync(Draft(wire.Id, Base.AddHours(1), text: text) with
        {
            Mentions = Mentions(StoryField.Text, text, ("Sergei Lavrov", Lavrov.Name, EntityType.Person), ("Moscow", Moscow.Name, EntityType.Location),
                ("Lavrov", Lavrov.Name, EntityType.Person)),
        });
        const string later = "Lavrov returned to Moscow.";
        await StoreAsync(Draft(wire.Id, Base.AddDays(2), text: later) with
        {
            Mentions = Mentions(StoryField.Text, later, ("Lavrov", Lavrov.Name, EntityType.Person), ("Moscow", Moscow.Name, EntityType.Location)),
        });
        await StoreAsync(About(wire.Id, Base.AddDays(3), Moscow, jordanRiver));
        await StoreAsync(About(wire.Id, Base.AddDays(4), jordanPerson));
        return (jordanPerson, jordanRiver);
    }

    [SkippableFact]
    public async Task Resolve_finds_entities_by_name_alias_or_id_with_an_optional_type()
    {
        var (jordanPerson, jordanRiver) = await EntityCorpusAsync();
        var lavrov = await IdOfAsync(Lavrov);
        var moscow = await IdOfAsync(Moscow);
        var person = await IdOfAsync(jordanPerson);
        var river = await IdOfAsync(jordanRiver);

        Assert.Equal([lavrov], await Entities.ResolveAsync("Sergei Lavrov", null));
        Assert.Equal([lavrov], await Entities.ResolveAsync("LAVROV", null)); // an alias, in any case
        Assert.Equal([moscow], await Entities.ResolveAsync("moscow", EntityType.Location));
        Assert.Empty(await Entities.ResolveAsync("moscow", EntityType.Person));
        Assert.Equal(new[] { person, river }.Order(), (await Entities.ResolveAsync("jordan", null)).Order());
        Assert.Equal([river], await Entities.ResolveAsync("Jordan", EntityType.Location));
        Assert.Equal([lavrov], await Entities.ResolveAsync(lavrov.ToString(), null));
        Assert.Equal([lavrov], await Entities.ResolveAsync(lavrov.ToString(), EntityType.Person));
        Assert.Empty(await Entities.ResolveAsync(lavrov.ToString(), EntityType.Location));
        Assert.Empty(await Entities.ResolveAsync((new[] { lavrov, moscow, person, river }.Max() + 1000).ToString(), null));
        Assert.Empty(await Entities.ResolveAsync("Lavro", null)); // names match whole, not by prefix
        Assert.Empty(await Entities.ResolveAsync("Nobody at all", null));
    }

    [SkippableFact]
    public async Task List_orders_by_stories_and_filters_by_type_prefix_and_date_range()
    {
        var (jordanPerson, jordanRiver) = await EntityCorpusAsync();
        var river = await IdOfAsync(jordanRiver);
        var person = await IdOfAsync(jordanPerson);

        var all = await Entities.ListAsync(new EntityQuery());

        Assert.Equal([(Moscow.Name, 3L, 3L), (Lavrov.Name, 3L, 2L)], all.Take(2).Select(e => (e.Name, e.Mentions, e.Stories)));
        Assert.Equal(new[] { person, river }.Order(), all.Skip(2).Select(e => e.Id).Order());
        Assert.Equal(EntityType.Person, all.Single(e => e.Name == Lavrov.Name).Type);
        Assert.Equal([Moscow.Name], (await Entities.ListAsync(new EntityQuery { Limit = 1 })).Select(e => e.Name));
        Assert.Equal([person], (await Entities.ListAsync(new EntityQuery { Type = EntityType.Person, Prefix = "j" })).Select(e => e.Id));
        Assert.Equal([Lavrov.Name], (await Entities.ListAsync(new EntityQuery { Prefix = "LAV" })).Select(e => e.Name)); // by alias
        Assert.Equal([Lavrov.Name], (await Entities.ListAsync(new EntityQuery { Prefix = "serg" })).Select(e => e.Name));
        Assert.Empty(await Entities.ListAsync(new EntityQuery { Prefix = "%" }));      // LIKE wildcards are plain characters
        Assert.Empty(await Entities.ListAsync(new EntityQuery { Prefix = "_oscow" }));

        // In a date range, entities rank by the stories published within it, and count only those.
        var inRange = await Entities.ListAsync(new EntityQuery { From = Base.AddDays(2), To = Base.AddDays(4) });
        Assert.Equal([(Moscow.Name, 2L, 2L)], inRange.Take(1).Select(e => (e.Name, e.Mentions, e.Stories)));
        Assert.Equal([(jordanRiver.Name, 1L, 1L), (Lavrov.Name, 1L, 1L)], inRange.Skip(1).Select(e => (e.Name, e.Mentions, e.Stories)).Order());
        Assert.Equal([person], (await Entities.ListAsync(new EntityQuery { From = Base.AddDays(4) })).Select(e => e.Id));
        Assert.Equal([Moscow.Name, Lavrov.Name], (await Entities.ListAsync(new EntityQuery { To = Base.AddDays(1) })).Select(e => e.Name).Order());
    }

    [SkippableFact]
    public async Task Get_has_aliases_counts_and_first_and_last_appearance()
    {
        await EntityCorpusAsync();
        var id = await IdOfAsync(Lavrov);

        var lavrov = await Entities.GetAsync(id);

        Assert.Equal((id, Lavrov.Name, EntityType.Person, 3L, 2L), (lavrov!.Id, lavrov.Name, lavrov.Type, lavrov.Mentions, lavrov.Stories));
        Assert.Equal(["Lavrov", "Sergei Lavrov"], lavrov.Aliases.Order(StringComparer.OrdinalIgnoreCase));
        Assert.Equal(Base.AddHours(1), lavrov.FirstSeen);
        Assert.Equal(Base.AddDays(2), lavrov.LastSeen);
        Assert.Null(await Entities.GetAsync(id + 1000));
    }

    [SkippableFact]
    public async Task Series_counts_mentions_and_stories_per_hour_and_day_with_empty_buckets()
    {
        var wire = await FeedAsync("Wire");
        await StoreAsync(About(wire.Id, Base, Kabul));                                 // hour 0, first instant of the range
        await StoreAsync(About(wire.Id, Base.AddHours(1), Kabul, Kabul));              // hour 1
        await StoreAsync(About(wire.Id, Base.AddHours(1).AddMinutes(59), Kabul));      // hour 1
        await StoreAsync(About(wire.Id, Base.AddHours(3).AddMinutes(30), Kabul, Doha)); // hour 3
        await StoreAsync(About(wire.Id, Base.AddHours(4), Kabul));                     // the end of the hourly range: excluded
        await StoreAsync(About(wire.Id, Base.AddDays(1).AddHours(2), Kabul));          // day 1
        await StoreAsync(About(wire.Id, Base.AddHours(-1), Kabul));                    // before both ranges
        await StoreAsync(About(wire.Id, Base.AddDays(2), Kabul));                      // the end of the daily range: excluded
        var kabul = await IdOfAsync(Kabul);
        var doha = await IdOfAsync(Doha);

        var hours = await Entities.SeriesAsync(kabul, Base, Base.AddHours(4), SeriesInterval.Hour);
        var days = await Entities.SeriesAsync(kabul, Base, Base.AddDays(2), SeriesInterval.Day);
        var quiet = await Entities.SeriesAsync(doha, Base.AddDays(1), Base.AddDays(4), SeriesInterval.Day);

        // SeriesPoint equality compares instants, whatever offset a store returns times in.
        Assert.Equal([new(Base, 1, 1), new(Base.AddHours(1), 3, 2), new(Base.AddHours(2), 0, 0), new(Base.AddHours(3), 1, 1)], hours);
        Assert.Equal([new(Base, 6, 5), new(Base.AddDays(1), 1, 1)], days);
        Assert.Equal([Base.AddDays(1), Base.AddDays(2), Base.AddDays(3)], quiet.Select(p => p.Time));
        Assert.All(quiet, p => Assert.Equal((0L, 0L), (p.Mentions, p.Stories)));
    }

    [SkippableFact]
    public async Task Cooccurrences_count_shared_stories_with_lift_and_filter_by_type_and_range()
    {
        var wire = await FeedAsync("Wire");
        // Lavrov is in 4 of 7 stories: with Moscow in 3 (Moscow is in 4), the UN in 2 (in 5), Guterres in 1 (in 1).
        await StoreAsync(About(wire.Id, Base.AddHours(1), Lavrov, Moscow, UnitedNations));
        await StoreAsync(About(wire.Id, Base.AddHours(2), Lavrov, Moscow, UnitedNations));
        await StoreAsync(About(wire.Id, Base.AddHours(3), Lavrov, Moscow, Moscow));
        await StoreAsync(About(wire.Id, Base.AddHours(4), Lavrov, Guterres));
        await StoreAsync(About(wire.Id, Base.AddHours(5), Moscow, UnitedNations));
        await StoreAsync(About(wire.Id, Base.AddHours(6), UnitedNations));
        await StoreAsync(About(wire.Id, Base.AddHours(7), UnitedNations));
        var lavrov = await IdOfAsync(Lavrov);

        var all = await Entities.CooccurrencesAsync(lavrov, null, null, null, 10);

        Assert.Equal([(Moscow.Name, EntityType.Location, 3L), (UnitedNations.Name, EntityType.Organization, 2L), (Guterres.Name, EntityType.Person, 1L)],
            all.Select(c => (c.Name, c.Type, c.Stories)));
        // Lift = P(both) / (P(a) P(b)) over the 7 stories.
        double[] lifts = [3.0 * 7 / (4 * 4), 2.0 * 7 / (4 * 5), 1.0 * 7 / (4 * 1)];
        Assert.All(all.Zip(lifts), pair => Assert.Equal(pair.Second, pair.First.Lift, 0.001));
        Assert.All(all.Zip(lifts), pair => Assert.Equal(Math.Log2(pair.Second), pair.First.Pmi, 0.002));
        Assert.Equal([Guterres.Name], (await Entities.CooccurrencesAsync(lavrov, EntityType.Person, null, null, 10)).Select(c => c.Name));
        Assert.Equal([Moscow.Name], (await Entities.CooccurrencesAsync(lavrov, null, null, null, 1)).Select(c => c.Name));
        var early = await Entities.CooccurrencesAsync(lavrov, null, Base, Base.AddHours(3), 10);
        Assert.Equal([(Moscow.Name, 2L), (UnitedNations.Name, 2L)], early.Select(c => (c.Name, c.Stories)).Order());
        Assert.Equal([(Guterres.Name, 1L)], (await Entities.CooccurrencesAsync(lavrov, null, Base.AddHours(4), null, 10)).Select(c => (c.Name, c.Stories)));
        Assert.Empty(await Entities.CooccurrencesAsync(await IdOfAsync(Guterres), EntityType.Location, null, null, 10));
    }

    [SkippableFact]
    public async Task Trends_rank_a_sustained_surge_above_a_new_name_and_leave_out_the_usual()
    {
        var wire = await FeedAsync("Wire");
        var sahel = new Named("Sahel", EntityType.Location);
        var newcomer = new Named("Newcomer Group", EntityType.Organization);
        var steady = new Named("World Bank", EntityType.Organization);
        var rare = new Named("Rare Sight", EntityType.Location);
        var now = Base.AddDays(10);
        var stories = new List<NewStory>();
        for (var day = 1; day <= 7; day++) // the baseline week before the window
        {
            var date = now.AddDays(-1 - day);
            stories.AddRange(Enumerable.Range(0, 2).Select(i => About(wire.Id, date.AddHours(i + 1), sahel)));
            stories.AddRange(Enumerable.Range(0, 3).Select(i => About(wire.Id, date.AddHours(i + 1), steady)));
        }
        stories.AddRange(Enumerable.Range(0, 12).Select(i => About(wire.Id, now.AddMinutes(-60 * i - 30), sahel)));
        stories.AddRange(Enumerable.Range(0, 3).Select(i => About(wire.Id, now.AddHours(-i - 2), newcomer)));
        stories.AddRange(Enumerable.Range(0, 3).Select(i => About(wire.Id, now.AddHours(-3 * i - 1), steady)));
        stories.AddRange(Enumerable.Range(0, 2).Select(i => About(wire.Id, now.AddHours(-i - 1), rare))); // too few to call a trend (the API says 3)
        stories.Add(About(wire.Id, now.AddHours(1), sahel)); // after "now": not in the window
        await Stories.SaveManyAsync(stories);

        var trends = await Entities.TrendsAsync(now, TimeSpan.FromDays(1), TimeSpan.FromDays(7), null, 10);

        Assert.Equal([sahel.Name, newcomer.Name], trends.Select(t => t.Name)); // the World Bank is as busy as usual; Rare Sight too rare
        var surge = trends[0];
        Assert.Equal((12L, 2.0), (surge.WindowCount, surge.BaselineRate));
        Assert.Equal((12 - 2) / Math.Sqrt(3), surge.Score, 0.001);
        Assert.Equal((3L, 0.0, 3.0), (trends[1].WindowCount, trends[1].BaselineRate, trends[1].Score));
        Assert.Equal([now.AddMinutes(-30), now.AddMinutes(-90), now.AddMinutes(-150)], surge.Evidence.Select(e => e.Published)); // the newest, newest first
        Assert.All(surge.Evidence, e => Assert.Contains(sahel.Name, stories.Single(s => s.Title == e.Title).Text));
        Assert.Equal([newcomer.Name], (await Entities.TrendsAsync(now, TimeSpan.FromDays(1), TimeSpan.FromDays(7), EntityType.Organization, 10)).Select(t => t.Name));
        Assert.Equal([sahel.Name], (await Entities.TrendsAsync(now, TimeSpan.FromDays(1), TimeSpan.FromDays(7), null, 1)).Select(t => t.Name));
    }

    // ---------------------------------------------------------------- version and stats

    [SkippableFact]
    public async Task Version_moves_with_what_readers_see_and_not_with_leases()
    {
        var start = DateTimeOffset.UtcNow;
        var initial = await Stories.VersionAsync();
        var feed = await FeedAsync("Wire");
        var added = await Stories.VersionAsync();
        var id = await StoreAsync(About(feed.Id, Base, Kabul));
        var saved = await Stories.VersionAsync();

        Assert.True(await Feeds.TryLeaseAsync(feed.Id, "worker-a", TimeSpan.FromMinutes(5)));
        Assert.True(await Feeds.RenewLeaseAsync(feed.Id, "worker-a", TimeSpan.FromMinutes(10)));
        Assert.False(await Feeds.TryLeaseAsync(feed.Id, "worker-b", TimeSpan.FromMinutes(5)));
        await Feeds.ReleaseLeaseAsync(feed.Id, "worker-a");
        var leased = await Stories.VersionAsync();

        await Feeds.UpdateAsync(feed.Id, new FeedPatch("Wire Service", null, null));
        var updated = await Stories.VersionAsync();
        await Feeds.RecordHealthAsync(feed.Id, new FeedHealth { LastAttemptAt = start, LastStatus = 500, ConsecutiveFailures = 1 });
        var health = await Stories.VersionAsync();
        await Stories.ReplaceTagsAsync(id, new StoryTags([], "test-2"));
        var retagged = await Stories.VersionAsync();
        await Feeds.DeleteAsync(feed.Id);
        var deleted = await Stories.VersionAsync();

        Assert.True(added.Version > initial.Version, "adding a feed");
        Assert.True(saved.Version > added.Version, "saving a story");
        Assert.Equal(saved, leased); // lease bookkeeping must not bust readers' caches
        Assert.True(updated.Version > leased.Version, "updating a feed");
        Assert.True(health.Version > updated.Version, "recording feed health");
        Assert.True(retagged.Version > health.Version, "retagging");
        Assert.True(deleted.Version > retagged.Version, "deleting a feed");
        Assert.InRange(deleted.Changed, start - ClockSlack, DateTimeOffset.UtcNow + ClockSlack);
        Assert.True(deleted.Changed >= saved.Changed);
    }

    [SkippableFact]
    public async Task Stats_count_stories_feeds_entities_failures_and_48_hours_of_ingestion()
    {
        var wire = await FeedAsync("Wire");
        var daily = await FeedAsync("Daily");
        var gone = await FeedAsync("Gone");
        var ids = new List<long>
        {
            await StoreAsync(About(wire.Id, Base.AddDays(-20), Kabul)), // published long ago: ingestion counts when it was stored
            await StoreAsync(About(wire.Id, Base, Doha)),
            await StoreAsync(About(wire.Id, Base.AddHours(1), Taliban)),
        };
        await Stories.SaveAsync(About(daily.Id, Base.AddHours(2), Kabul) with { Link = (await Stories.GetAsync(ids[0]))!.Link }); // a duplicate
        await Stories.ReplaceTagsAsync(ids[2], new StoryTags([], "test-2")); // Taliban is left without stories
        await Feeds.RecordHealthAsync(daily.Id, new FeedHealth { LastStatus = 500, ConsecutiveFailures = 2 });
        await Feeds.RecordHealthAsync(wire.Id, new FeedHealth { LastStatus = 200, ConsecutiveFailures = 0 });
        await Feeds.RecordHealthAsync(gone.Id, new FeedHealth { LastStatus = 404, ConsecutiveFailures = 5 });
        await Feeds.DeleteAsync(gone.Id);
        var firstSeen = new List<DateTimeOffset>();
        foreach (var id in ids) firstSeen.Add((await Stories.GetAsync(id))!.FirstSeen);
        var now = DateTimeOffset.UtcNow;

        var stats = await Stories.StatsAsync(now);

        Assert.Equal((3L, 2L, 2L, 1L), (stats.Stories, stats.Feeds, stats.Entities, stats.FailingFeeds));
        AssertHours(stats, now, firstSeen);
        Assert.Equal(3, stats.PerHour.Sum(h => h.Stories));
        AssertHours(await Stories.StatsAsync(now.AddHours(30)), now.AddHours(30), firstSeen);
        Assert.All((await Stories.StatsAsync(now.AddDays(-1))).PerHour, h => Assert.Equal(0, h.Stories));
    }

    /// <summary>48 whole hours ending with the one holding <paramref name="now"/>, each counting the stories first seen in it.</summary>
    private static void AssertHours(Stats stats, DateTimeOffset now, IReadOnlyList<DateTimeOffset> firstSeen)
    {
        var hour = TimeSpan.FromHours(1);
        var last = stats.PerHour[^1].Hour;
        Assert.Equal(48, stats.PerHour.Count);
        Assert.Equal(0, last.ToUnixTimeMilliseconds() % (long)hour.TotalMilliseconds);
        Assert.InRange(now, last, last + hour - TimeSpan.FromTicks(1));
        Assert.Equal(Enumerable.Range(0, 48).Select(i => last - (47 - i) * hour), stats.PerHour.Select(h => h.Hour));
        Assert.Equal(stats.PerHour.Select(h => (long)firstSeen.Count(t => t >= h.Hour && t < h.Hour + hour)), stats.PerHour.Select(h => h.Stories));
    }

    // ---------------------------------------------------------------- leases

    [SkippableFact]
    public async Task Leases_held_now_are_listed_with_their_owners()
    {
        var held = await FeedAsync("Held");
        var released = await FeedAsync("Released");
        await FeedAsync("Never");
        Assert.True(await Feeds.TryLeaseAsync(held.Id, "owner-a", TimeSpan.FromMinutes(1)));
        Assert.True(await Feeds.TryLeaseAsync(released.Id, "owner-b", TimeSpan.FromMinutes(1)));
        await Feeds.ReleaseLeaseAsync(released.Id, "owner-b");

        Assert.Equal([(held.Id, "owner-a")], await Feeds.LeasesAsync());
        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(await Feeds.LeasesAsync()); // run out
    }

    // ---------------------------------------------------------------- long keys

    /// <summary>A btree entry holds about 2,700 bytes on PostgreSQL: GUIDs and links beyond that must still be keys.</summary>
    [SkippableFact]
    public async Task Guids_and_links_of_many_kilobytes_are_stored_found_and_deduplicated()
    {
        var wire = await FeedAsync("Long");
        var other = await FeedAsync("Other");
        var third = await FeedAsync("Third");
        var guid = "tag:example.org," + new string('g', 6_000) + "é";
        var link = "https://news.example.org/story?" + string.Concat(Enumerable.Range(0, 1_000).Select(i => $"p{i}=ü&"));
        var story = Draft(wire.Id, Base) with { Guid = guid, Link = link };

        var (id, result) = await Stories.SaveAsync(story);
        var again = await Stories.SaveAsync(story with { ContentHash = "another-hash" });
        var elsewhere = await Stories.SaveAsync(story with { FeedId = other.Id, Guid = "short", ContentHash = "third-hash" });
        var longerLink = await Stories.SaveAsync(Draft(wire.Id, Base.AddMinutes(1)) with { Guid = guid + "2", Link = link + "x" });

        Assert.Equal(SaveResult.Stored, result);
        Assert.Equal((id, SaveResult.Duplicate), again);
        Assert.Equal((id, SaveResult.Duplicate), elsewhere);
        Assert.Equal(SaveResult.Stored, longerLink.Result);
        Assert.Equal(new ExistingStory(id, true), await Stories.FindExistingAsync(wire.Id, guid, null));
        // The link finds the story from a feed that does not carry it yet (Other carries it under another GUID).
        Assert.Equal(new ExistingStory(id, false), await Stories.FindExistingAsync(third.Id, "unknown", link));
        Assert.Null(await Stories.FindExistingAsync(third.Id, guid + "3", link + "y"));
        Assert.Equal(link, (await Stories.GetAsync(id))!.Link);
    }

    [SkippableFact]
    public async Task A_full_store_says_so_and_is_written_again_when_space_returns()
    {
        await using var pipeline = await PipelineWithSizeLimitAsync();
        var feed = (await pipeline.Feeds.AddAsync(new FeedDefinition("https://full.example.org/rss", "Full"), reviveDeleted: false)).Feed;
        var big = Draft(feed.Id, Base, text: string.Concat(Enumerable.Range(0, 4_000).Select(i => $"Paragraph {i} of a long report. ")));

        StoreCondition whileFull;
        Exception? refused;
        await using (await FullAsync())
        {
            whileFull = await pipeline.Stories.ConditionAsync();
            refused = await Record.ExceptionAsync(() => pipeline.Stories.SaveAsync(big));
        }

        Assert.Equal(StoreCondition.Full, whileFull);
        Assert.True(StorageErrors.IsFull(refused), refused?.ToString());
        Assert.Equal(StoreCondition.Ready, await pipeline.Stories.ConditionAsync());
        Assert.Equal(SaveResult.Stored, (await pipeline.Stories.SaveAsync(big)).Result);
    }

    // ---------------------------------------------------------------- outages

    [SkippableFact]
    public async Task A_poll_stores_the_stories_it_has_prepared_in_one_transaction()
    {
        await using var server = await LocalServer.StartAsync();
        var items = Enumerable.Range(1, 10).Select(n => new Fixtures.Item($"b-{n}", $"Batch story {n}", $"https://news.example.org/batch/{n}", $"Text {n}.")).ToArray();
        server.MapContent("/feed", Fixtures.Rss("Batch", items));
        var saves = 0;
        await using var pipeline = await PipelineWithFaultsAsync(save => { saves = save; return Task.CompletedTask; });
        var feed = await pipeline.AddFeedAsync(server.Url("/feed"));

        var report = await pipeline.PollAsync(feed);

        Assert.Equal((10, 0), (report.Stored, report.Failed));
        Assert.Equal(1, saves); // without article pages to fetch, all ten are prepared before the first is stored
    }

    [SkippableFact]
    public async Task A_story_the_store_refuses_leaves_the_other_stories_of_its_transaction_stored()
    {
        await using var server = await LocalServer.StartAsync();
        var items = Enumerable.Range(1, 5).Select(n => new Fixtures.Item($"f-{n}", $"Refused story {n}", $"https://news.example.org/refused/{n}", $"Text {n}.")).ToArray();
        server.MapContent("/feed", Fixtures.Rss("Refused", items));
        // Save 1 is the five stories together, save 2 the first of them alone: both are refused.
        await using var pipeline = await PipelineWithFaultsAsync(save => save <= 2 ? throw new InvalidOperationException("refused") : Task.CompletedTask);
        var feed = await pipeline.AddFeedAsync(server.Url("/feed"));

        var report = await pipeline.PollAsync(feed);

        Assert.Equal((4, 1), (report.Stored, report.Failed));
        Assert.Equal(Enumerable.Range(2, 4).Select(n => $"Refused story {n}"), (await pipeline.AllStoriesAsync()).Select(s => s.Title).Order());
        Assert.Contains(report.Skipped, s => s.Item == "https://news.example.org/refused/1");
    }

    [SkippableFact]
    public async Task An_outage_in_the_middle_of_a_poll_ends_with_every_item_stored_once_after_the_next_poll()
    {
        await using var server = await LocalServer.StartAsync();
        var items = Enumerable.Range(1, 10).Select(n => new Fixtures.Item($"o-{n}", $"Outage story {n}", $"https://news.example.org/outage/{n}", $"Text {n}.")).ToArray();
        server.MapContent("/feed", Fixtures.Rss("Outage", items), etag: "\"v1\"");
        IAsyncDisposable? outage = null;
        // The poll's stories are prepared at once (no article pages) and stored together: save 1 is all of them, which
        // meets the outage (as does any lookup made meanwhile); then each is tried alone, and the second of those
        // (save 3) finds the database back.
        await using var pipeline = await PipelineWithFaultsAsync(async save =>
        {
            if (save == 1) outage = await OutageAsync();
            if (save == 3) await outage!.DisposeAsync();
        });
        var feed = await pipeline.AddFeedAsync(server.Url("/feed"));

        var first = await pipeline.PollAsync(feed);
        var afterFirst = (await pipeline.Feeds.GetAsync(feed.Id))!.Health;
        var second = await pipeline.PollAsync(feed);

        Assert.True(first.Failed >= 1, $"{first.Failed} failed");
        Assert.Equal(10, first.Stored + first.Failed);
        Assert.Null(afterFirst.ETag); // not advanced: the next poll reads the whole feed again
        Assert.Contains("could not be stored", afterFirst.LastError);
        Assert.Equal(PollOutcome.Ingested, second.Outcome);
        Assert.Equal((first.Failed, 0), (second.Stored, second.Failed));
        Assert.Equal(Enumerable.Range(1, 10).Select(n => $"Outage story {n}").Order(), (await pipeline.AllStoriesAsync()).Select(s => s.Title).Order());
        var health = (await pipeline.Feeds.GetAsync(feed.Id))!.Health;
        Assert.Equal(("\"v1\"", null), (health.ETag, health.LastError));
        Assert.Equal(PollOutcome.NotModified, (await pipeline.PollAsync(feed)).Outcome);
    }
}
