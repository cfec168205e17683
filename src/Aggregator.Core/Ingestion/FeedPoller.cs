using Aggregator.Core.Dedup;
using Aggregator.Core.Entities;
using Aggregator.Core.Feeds;
using Aggregator.Core.Fetching;
using Aggregator.Core.Model;
using Aggregator.Core.Parsing;
using Aggregator.Core.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aggregator.Core.Ingestion;

/// <summary>
/// One poll of one feed, the whole pipeline: fetch → parse → dedup → (extract, tag: <see cref="StoryBuilder"/>) →
/// resolve entities (<see cref="EntityDirectory"/>) → store, then the feed's health. The Hangfire job, the API's refresh and the CLI all come through here.
/// </summary>
public sealed class FeedPoller(
    HttpFetcher fetcher,
    StoryBuilder builder,
    IFeedStore feeds,
    IStoryStore stories,
    EntityDirectory entities,
    IOptions<IngestionOptions> options,
    TimeProvider clock,
    ILogger<FeedPoller> log)
{
    /// <summary>
    /// At most this many prepared stories are stored in one transaction: one commit instead of one per story (with
    /// SQLite's full-text index, most of a story's write), without holding the write lock for long.
    /// </summary>
    private const int MaxStoriesPerTransaction = 100;

    /// <param name="force">Poll even when the feed is disabled or resting after failures (an operator's refresh).</param>
    public Task<IngestionReport> PollAsync(long feedId, bool force, CancellationToken ct = default) =>
        PollIfAsync(feedId, feed => force || PollSchedule.IsDue(feed, clock.GetUtcNow()),
            "The feed is not due (disabled, resting after failures, or polled recently).", ct);

    /// <summary>
    /// Polls a feed whose last poll died with its process, unless the feed is disabled or resting after failures:
    /// the interrupted attempt does not count as a recent poll.
    /// </summary>
    public Task<IngestionReport> ResumeAsync(long feedId, CancellationToken ct = default) =>
        PollIfAsync(feedId, feed => feed.Enabled && !PollSchedule.IsResting(feed, clock.GetUtcNow()),
            "The feed is disabled or resting after failures.", ct);

    private async Task<IngestionReport> PollIfAsync(long feedId, Func<Feed, bool> due, string notDue, CancellationToken ct)
    {
        var feed = await feeds.GetAsync(feedId, ct);
        if (feed is null) return Skipped($"feed {feedId}", "The feed does not exist (deleted?).");
        if (!due(feed)) return Skipped(feed.Url, notDue);
        await using var lease = await FeedLease.TryAcquireAsync(feeds, feedId, options.Value.PollLease, ct);
        if (lease is null) return Skipped(feed.Url, "Another worker is polling this feed.");
        return await PollLeasedAsync(feed, options.Value.FetchArticles, ct);
    }

    private async Task<IngestionReport> PollLeasedAsync(Feed feed, bool fetchArticles, CancellationToken ct)
    {
        await RecordAttemptAsync(feed, ct);
        var validators = new Validators(feed.Health.ETag, feed.Health.LastModified);
        FetchResult fetched;
        ParsedFeed parsed;
        try
        {
            fetched = await fetcher.FetchAsync(new Uri(feed.Url), FetchKind.Feed, validators, ct);
            if (fetched.NotModified)
            {
                await RecordSuccessAsync(feed, fetched.Status, validators, feed.Health.Format, ct);
                return new IngestionReport { Feed = feed.Url, Format = feed.Health.Format, Outcome = PollOutcome.NotModified };
            }
            parsed = FeedParser.Parse(fetched.Body, fetched.Charset, fetched.FinalUrl);
        }
        catch (FetchException e)
        {
            return await RecordFailureAsync(feed, e.Message, e.Status, e.RetryAfter, ct);
        }
        catch (FeedParseException e)
        {
            return await RecordFailureAsync(feed, e.Message, status: 200, retryAfter: null, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return await UnexpectedFailureAsync(feed, e, ct);
        }
        try
        {
            var report = await IngestAsync(feed, parsed, fetchArticles, ct);
            // Validators advance only once the whole document is in: otherwise a 304 would hide what is left of it.
            await RecordSuccessAsync(feed, fetched.Status, report.FetchAgainInFull ? new Validators(null, null) : fetched.Validators, parsed.Format, ct,
                report.Failed > 0 ? $"{report.Failed} of {report.Items} items could not be stored; they are tried again at the next poll." : null);
            if (FeedNames.IsDefault(feed) && FeedNames.FromTitle(parsed.Title) is { } title)
                await feeds.UpdateAsync(feed.Id, new FeedPatch(Name: title, IntervalMinutes: null, Enabled: null), ct);
            return report;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return await UnexpectedFailureAsync(feed, e, ct);
        }
    }

    /// <summary>Whatever else goes wrong ends as the feed's error with back-off, never as a job that fails without a trace.</summary>
    private Task<IngestionReport> UnexpectedFailureAsync(Feed feed, Exception e, CancellationToken ct)
    {
        log.LogError(e, "Poll of feed {FeedId} failed unexpectedly", feed.Id);
        return RecordFailureAsync(feed, $"The poll failed: {e.Message}", status: null, retryAfter: null, ct);
    }

    /// <summary>
    /// Stores the new items of an already parsed feed (the CLI's file input enters here): items already stored are
    /// linked to this feed, at most <see cref="IngestionOptions.MaxItemsPerPoll"/> new ones are built and stored, in
    /// document order, and the rest are left to the following polls.
    /// </summary>
    public async Task<IngestionReport> IngestAsync(Feed feed, ParsedFeed parsed, bool fetchArticles, CancellationToken ct = default)
    {
        var document = ItemIdentity.Of(parsed.Items);
        var errors = new List<string>();
        if (parsed.Warning is not null) errors.Add(parsed.Warning);
        // Empty entries all look alike (and hash to one GUID): each is reported, none is taken for a duplicate.
        var skipped = document.Empty.Select(item => new SkippedItem(item.HasId ? item.Guid : "(an entry with no id)", "It has no title, link or text: nothing to store.")).ToList();
        int stored = 0, duplicates = document.Repeats.Count, deferred = 0, failed = 0;

        var fresh = new List<IdentifiedItem>();
        foreach (var entry in document.Items)
        {
            try
            {
                var existing = await stories.FindExistingAsync(feed.Id, entry.Key, entry.LinkIdentifies ? entry.Link : null, ct);
                if (existing is { } known)
                {
                    if (!known.InThisFeed) await stories.LinkAsync(feed.Id, entry.Key, NullIfEmpty(entry.Item.Title), known.StoryId, ct);
                    duplicates++;
                }
                else if (fresh.Count < options.Value.MaxItemsPerPoll) fresh.Add(entry);
                else deferred++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(entry, e);
            }
        }

        // Items are fetched, extracted and tagged a few at a time, but stored in feed order, so when two items of one
        // poll are the same story the first one listed is the one kept, whatever finished first. Those already
        // prepared are stored together, in one transaction, while the next are still being fetched.
        using var gate = new SemaphoreSlim(options.Value.ArticleConcurrency);
        var preparing = fresh.Select(entry => PrepareAsync(feed, entry, fetchArticles, gate, ct)).ToList();
        var batch = new List<(IdentifiedItem Entry, NewStory Story)>();
        for (var i = 0; i < fresh.Count; i++)
        {
            var entry = fresh[i];
            try
            {
                var (prepared, warning) = await preparing[i];
                if (warning is not null) errors.Add(warning);
                if (prepared.Title.Length == 0 && prepared.Text.Length == 0)
                    skipped.Add(new SkippedItem(Name(entry), "It has neither a title nor any text: nothing to store."));
                else
                {
                    // Resolved in feed order, each story seeing the entities of those before it: observed now, as
                    // the batch is stored after them (and read again from the store when one of them fails).
                    var story = await entities.ResolveAsync(prepared, ct);
                    entities.Observe(story.Mentions, story.Published);
                    batch.Add((entry, story));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(entry, e);
            }
            var last = i == fresh.Count - 1;
            if (batch.Count > 0 && (last || batch.Count == MaxStoriesPerTransaction || !preparing[i + 1].IsCompleted))
            {
                await StoreAsync(batch);
                batch.Clear();
            }
        }
        log.LogInformation("Feed {FeedId}: {Items} items, {Stored} stored, {Duplicates} duplicates, {Deferred} deferred, {Skipped} skipped",
            feed.Id, parsed.Items.Count, stored, duplicates, deferred, skipped.Count);
        return new IngestionReport
        {
            Feed = feed.Url,
            Format = parsed.Format,
            Items = parsed.Items.Count,
            Stored = stored,
            Duplicates = duplicates,
            Deferred = deferred,
            Skipped = skipped,
            Failed = failed,
            Errors = errors,
            Outcome = PollOutcome.Ingested,
            FetchAgainInFull = deferred > 0 || failed > 0 || parsed.Warning is not null,
        };

        void Failed(IdentifiedItem entry, Exception e)
        {
            log.LogError(e, "Item {Guid} of feed {FeedId} failed", entry.Key, feed.Id);
            failed++;
            errors.Add($"{Name(entry)}: {e.Message}");
            skipped.Add(new SkippedItem(Name(entry), $"Failed, to be tried again on the next poll: {e.Message}"));
        }

        async Task StoreAsync(List<(IdentifiedItem Entry, NewStory Story)> ready)
        {
            var results = new SaveResult?[ready.Count];
            try
            {
                var saved = await stories.SaveManyAsync(ready.ConvertAll(r => r.Story), ct);
                for (var k = 0; k < ready.Count; k++) results[k] = saved[k].Result;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One story the store refuses must not take the others with it: each is tried alone.
                if (ready.Count == 1) Failed(ready[0].Entry, e);
                else
                    for (var k = 0; k < ready.Count; k++)
                    {
                        try
                        {
                            results[k] = (await stories.SaveAsync(ready[k].Story, ct)).Result;
                        }
                        catch (Exception one) when (one is not OperationCanceledException)
                        {
                            Failed(ready[k].Entry, one);
                        }
                    }
            }
            stored += results.Count(r => r == SaveResult.Stored);
            duplicates += results.Count(r => r == SaveResult.Duplicate);
            // The directory observed each story as it was resolved. A duplicate names what its stored twin named (it
            // only counted one story more, until the next reload); one that failed makes it read the store again.
            if (results.Any(r => r is null)) entities.Invalidate();
        }
    }

    private static string Name(IdentifiedItem entry) => entry.Item.Link ?? entry.Item.Guid;

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    /// <summary>The per-item stages before storing: fetch, extract and tag.</summary>
    private async Task<(NewStory Story, string? Warning)> PrepareAsync(Feed feed, IdentifiedItem entry, bool fetchArticles, SemaphoreSlim gate, CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            return await builder.BuildAsync(feed.Id, entry, fetchArticles, ct);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Written before anything that can go wrong, as a failure that the end of the poll overwrites: a poll that takes
    /// the process down with it (or is killed) then shows as a failure, and a feed that does it twice in a row rests
    /// as any failing feed does, instead of being due again, and again fatal, the moment the process restarts.
    /// </summary>
    private Task RecordAttemptAsync(Feed feed, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var failures = feed.Health.ConsecutiveFailures + 1;
        return feeds.RecordHealthAsync(feed.Id, feed.Health with
        {
            LastAttemptAt = now,
            LastError = $"The poll started at {now:yyyy-MM-dd HH:mm:ss}Z has not finished: it is still running, or the process stopped during it.",
            ConsecutiveFailures = failures,
            // One interrupted poll may be the process's own end (a deploy, a kill), so the feed may be polled again as
            // soon as the process is back; after that the rest grows as for any failure.
            NotBefore = failures > 1 ? now + Backoff.Delay(failures, TimeSpan.FromMinutes(feed.IntervalMinutes), options.Value.MaxBackoff) : null,
        }, ct);
    }

    private Task RecordSuccessAsync(Feed feed, int status, Validators validators, string? format, CancellationToken ct, string? error = null)
    {
        var now = clock.GetUtcNow();
        return feeds.RecordHealthAsync(feed.Id, feed.Health with
        {
            LastAttemptAt = now,
            LastSuccessAt = now,
            LastStatus = status,
            LastError = error,
            ConsecutiveFailures = 0,
            NotBefore = null,
            ETag = validators.ETag,
            LastModified = validators.LastModified,
            Format = format,
        }, ct);
    }

    private async Task<IngestionReport> RecordFailureAsync(Feed feed, string error, int? status, TimeSpan? retryAfter, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var failures = feed.Health.ConsecutiveFailures + 1;
        var rest = Backoff.Delay(failures, TimeSpan.FromMinutes(feed.IntervalMinutes), options.Value.MaxBackoff, retryAfter);
        log.LogWarning("Feed {FeedId} ({Url}) failed ({Failures} in a row), resting {Rest}: {Error}", feed.Id, feed.Url, failures, rest, error);
        await feeds.RecordHealthAsync(feed.Id, feed.Health with
        {
            LastAttemptAt = now,
            LastStatus = status,
            LastError = error,
            ConsecutiveFailures = failures,
            NotBefore = now + rest,
        }, ct);
        return new IngestionReport { Feed = feed.Url, Format = feed.Health.Format, Errors = [error], Outcome = PollOutcome.Failed };
    }

    private static IngestionReport Skipped(string feed, string reason) =>
        new() { Feed = feed, Errors = [reason], Outcome = PollOutcome.Skipped };
}
