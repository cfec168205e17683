using Aggregator.Core.Ingestion;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;

namespace Aggregator.Core.Feeds;

/// <summary>What a subscription did: the feed (the first, when a page advertised several) and, for a page, what it advertised.</summary>
public sealed record Subscription(Feed Feed, bool Created, string? Page, IReadOnlyList<FoundFeed> Found, IReadOnlyList<Feed> Feeds);

public sealed record ImportReport(IReadOnlyList<Feed> Added, IReadOnlyList<Feed> AlreadyPresent, IReadOnlyList<InvalidOutline> Invalid);
public sealed record InvalidOutline(string? Url, string Error);

/// <summary>What operators do with feeds; validation here, persistence in the store, polling in the scheduler.</summary>
public sealed class FeedService(IFeedStore store, IFeedScheduler scheduler, FeedDiscovery discovery, TimeProvider clock)
{
    /// <summary>
    /// Subscribes as feed readers do: the URL is fetched once; a feed is added under its own title (unless a name is
    /// given), an HTML page through the feed it advertises (or every one, <paramref name="allAdvertised"/>), and a URL
    /// that cannot be fetched now is added as given, for its polls to report on. A feed already there is returned as it is.
    /// </summary>
    /// <exception cref="ArgumentException">The URL, name or interval is not valid, or the URL is a page that advertises no feed.</exception>
    public async Task<Subscription> SubscribeAsync(FeedDefinition definition, bool allAdvertised, CancellationToken ct = default)
    {
        var valid = Validate(definition);
        var named = !string.IsNullOrWhiteSpace(definition.Name);
        if ((await store.ListAsync(ct)).FirstOrDefault(f => f.Url == valid.Url) is { } existing)
            return new Subscription(existing, false, null, [], [existing]);
        switch (await discovery.ProbeAsync(new Uri(valid.Url), ct))
        {
            case Probe.Page page:
                var added = new List<(Feed Feed, bool Created)>();
                foreach (var (found, index) in (allAdvertised ? page.Feeds : page.Feeds.Take(1)).Select((f, i) => (f, i)))
                {
                    var name = index == 0 && named ? valid.Name : await OwnTitleAsync(found.Url, ct) ?? FeedNames.Default(found.Url);
                    added.Add(await AddAsync(valid with { Url = found.Url, Name = name }, ct));
                }
                return new Subscription(added[0].Feed, added.Any(a => a.Created), valid.Url, page.Feeds, added.Select(a => a.Feed).ToList());
            case Probe.PageWithoutFeeds:
                throw new ArgumentException($"{valid.Url} is an HTML page that advertises no feed (no <link rel=\"alternate\"> to RSS, Atom or JSON Feed): give the feed's own URL.");
            case Probe.Feed feed when !named && FeedNames.FromTitle(feed.Title) is { } title:
                valid = valid with { Name = title };
                break;
        }
        var (subscribed, created) = await AddAsync(valid, ct);
        return new Subscription(subscribed, created, null, [], [subscribed]);
    }

    private async Task<string?> OwnTitleAsync(string url, CancellationToken ct) =>
        await discovery.ProbeAsync(new Uri(url), ct) is Probe.Feed feed ? FeedNames.FromTitle(feed.Title) : null;

    /// <summary>Adds a feed as it is, without fetching it (OPML import).</summary>
    /// <exception cref="ArgumentException">The URL, name or interval is not valid; the message says why.</exception>
    public async Task<(Feed Feed, bool Created)> AddAsync(FeedDefinition definition, CancellationToken ct = default)
    {
        var valid = Validate(definition);
        var (feed, created) = await store.AddAsync(valid, reviveDeleted: true, ct);
        if (created) ScheduleAndCatchUp(feed);
        return (feed, created);
    }

    /// <summary>Loads the seed file's feeds; a restart never duplicates one, nor brings back one an operator deleted.</summary>
    public async Task<int> SeedAsync(IEnumerable<FeedDefinition> definitions, CancellationToken ct = default)
    {
        var added = 0;
        foreach (var definition in definitions)
        {
            var (_, created) = await store.AddAsync(Validate(definition), reviveDeleted: false, ct);
            if (created) added++;
        }
        foreach (var feed in await store.ListAsync(ct)) ScheduleAndCatchUp(feed);
        return added;
    }

    /// <summary>Schedules the feeds and polls those due (the background job of an import).</summary>
    public async Task ScheduleAsync(IReadOnlyList<long> feedIds, CancellationToken ct = default)
    {
        foreach (var id in feedIds)
            if (await store.GetAsync(id, ct) is { } feed) ScheduleAndCatchUp(feed);
    }

    /// <summary>A feed never polled, or overdue after downtime, is polled now rather than at its next cron firing.</summary>
    private void ScheduleAndCatchUp(Feed feed)
    {
        scheduler.Schedule(feed);
        if (PollSchedule.IsDue(feed, clock.GetUtcNow())) scheduler.PollIfDue(feed.Id);
    }

    /// <summary>
    /// At start-up: leases held by processes of this machine that are gone are released, and those feeds polled
    /// again at once, rather than after the lease runs out and the next firing comes (up to an interval later).
    /// </summary>
    /// <returns>The feeds taken over.</returns>
    public async Task<IReadOnlyList<long>> TakeOverLeasesOfGoneProcessesAsync(CancellationToken ct = default)
    {
        var taken = new List<long>();
        foreach (var (feedId, owner) in await store.LeasesAsync(ct))
        {
            if (!LeaseOwner.IsGone(owner)) continue;
            await store.ReleaseLeaseAsync(feedId, owner, ct);
            scheduler.Resume(feedId);
            taken.Add(feedId);
        }
        return taken;
    }

    public async Task<Feed?> UpdateAsync(long id, FeedPatch patch, CancellationToken ct = default)
    {
        if (patch.Name is not null && string.IsNullOrWhiteSpace(patch.Name)) throw new ArgumentException("The name cannot be empty.");
        if (patch.Name is not null) ValidateName(patch.Name);
        if (patch.IntervalMinutes is { } minutes) ValidateInterval(minutes);
        var feed = await store.UpdateAsync(id, patch with { Name = patch.Name?.Trim(), Tags = patch.Tags is null ? null : CleanTags(patch.Tags) }, ct);
        if (feed is not null) scheduler.Schedule(feed);
        return feed;
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken ct = default)
    {
        var deleted = await store.DeleteAsync(id, ct);
        if (deleted) scheduler.Unschedule(id);
        return deleted;
    }

    public async Task<bool> RefreshAsync(long id, CancellationToken ct = default)
    {
        if (await store.GetAsync(id, ct) is null) return false;
        scheduler.PollNow(id);
        return true;
    }

    /// <summary>Polls every enabled feed that is failing, whatever its back-off (the settings that made it fail may have changed).</summary>
    /// <returns>How many were queued.</returns>
    public async Task<int> PollFailingNowAsync(CancellationToken ct = default)
    {
        var failing = (await store.ListAsync(ct)).Where(f => f.Enabled && f.Health.ConsecutiveFailures > 0).ToList();
        foreach (var feed in failing) scheduler.PollNow(feed.Id);
        return failing.Count;
    }

    public async Task<ImportReport> ImportOpmlAsync(Stream opml, CancellationToken ct = default)
    {
        List<Feed> added = [], present = [];
        List<InvalidOutline> invalid = [];
        foreach (var outline in Opml.Read(opml))
        {
            try
            {
                var (feed, created) = await store.AddAsync(Validate(new FeedDefinition(outline.Url ?? "", outline.Title)), reviveDeleted: true, ct);
                (created ? added : present).Add(feed);
            }
            catch (ArgumentException e)
            {
                invalid.Add(new InvalidOutline(outline.Url, e.Message));
            }
        }
        // Scheduling costs the job storage tens of milliseconds a feed: done in the background, not on the request.
        if (added.Count > 0) scheduler.ScheduleInBackground(added.Select(f => f.Id).ToList());
        return new ImportReport(added, present, invalid);
    }

    private static FeedDefinition Validate(FeedDefinition definition)
    {
        if (!FeedUrl.TryNormalize(definition.Url, out var url, out var error)) throw new ArgumentException(error);
        if (definition.IntervalMinutes is { } minutes) ValidateInterval(minutes);
        var name = string.IsNullOrWhiteSpace(definition.Name) ? FeedNames.Default(url) : ValidateName(definition.Name);
        return definition with { Url = url, Name = name, Tags = CleanTags(definition.Tags ?? []) };
    }

    private static string ValidateName(string name) => name.Trim() is { Length: <= FeedDefaults.MaxNameLength } trimmed
        ? trimmed
        : throw new ArgumentException($"The name is longer than {FeedDefaults.MaxNameLength} characters.");

    private static List<string> CleanTags(IEnumerable<string> tags)
    {
        var clean = tags.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct().ToList();
        if (clean.Count > FeedDefaults.MaxTags || clean.Any(t => t.Length > FeedDefaults.MaxTagLength))
            throw new ArgumentException($"A feed has at most {FeedDefaults.MaxTags} tags of at most {FeedDefaults.MaxTagLength} characters each.");
        return clean;
    }

    private static void ValidateInterval(int minutes)
    {
        if (minutes is < FeedDefaults.MinIntervalMinutes or > FeedDefaults.MaxIntervalMinutes)
            throw new ArgumentException($"The interval must be between {FeedDefaults.MinIntervalMinutes} and {FeedDefaults.MaxIntervalMinutes} minutes.");
    }
}
