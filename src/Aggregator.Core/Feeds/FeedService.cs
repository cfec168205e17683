using Aggregator.Core.Model;
using Aggregator.Core.Stores;

namespace Aggregator.Core.Feeds;

public sealed record ImportReport(IReadOnlyList<Feed> Added, IReadOnlyList<Feed> AlreadyPresent, IReadOnlyList<InvalidOutline> Invalid);
public sealed record InvalidOutline(string? Url, string Error);

/// <summary>What operators do with feeds; validation here, persistence in the store, polling in the scheduler.</summary>
public sealed class FeedService(IFeedStore store, IFeedScheduler scheduler, TimeProvider clock)
{
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

    /// <summary>A feed never polled, or overdue after downtime, is polled now rather than at its next cron firing.</summary>
    private void ScheduleAndCatchUp(Feed feed)
    {
        scheduler.Schedule(feed);
        if (PollSchedule.IsDue(feed, clock.GetUtcNow())) scheduler.PollIfDue(feed.Id);
    }

    public async Task<Feed?> UpdateAsync(long id, FeedPatch patch, CancellationToken ct = default)
    {
        if (patch.Name is not null && string.IsNullOrWhiteSpace(patch.Name)) throw new ArgumentException("The name cannot be empty.");
        if (patch.IntervalMinutes is { } minutes) ValidateInterval(minutes);
        var feed = await store.UpdateAsync(id, patch with { Name = patch.Name?.Trim() }, ct);
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
                var (feed, created) = await AddAsync(new FeedDefinition(outline.Url ?? "", outline.Title), ct);
                (created ? added : present).Add(feed);
            }
            catch (ArgumentException e)
            {
                invalid.Add(new InvalidOutline(outline.Url, e.Message));
            }
        }
        return new ImportReport(added, present, invalid);
    }

    private static FeedDefinition Validate(FeedDefinition definition)
    {
        if (!FeedUrl.TryNormalize(definition.Url, out var url, out var error)) throw new ArgumentException(error);
        if (definition.IntervalMinutes is { } minutes) ValidateInterval(minutes);
        var name = string.IsNullOrWhiteSpace(definition.Name) ? new Uri(url).Host : definition.Name.Trim();
        var tags = definition.Tags?.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct().ToList() ?? [];
        return definition with { Url = url, Name = name, Tags = tags };
    }

    private static void ValidateInterval(int minutes)
    {
        if (minutes is < FeedDefaults.MinIntervalMinutes or > FeedDefaults.MaxIntervalMinutes)
            throw new ArgumentException($"The interval must be between {FeedDefaults.MinIntervalMinutes} and {FeedDefaults.MaxIntervalMinutes} minutes.");
    }
}
