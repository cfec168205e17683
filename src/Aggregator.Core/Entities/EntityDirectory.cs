using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aggregator.Core.Entities;

/// <summary>Configuration section "Entities".</summary>
public sealed class EntityOptions
{
    public const string Section = "Entities";
    /// <summary>Resolve mentions to stored entities beyond their exact names (off: exact names only).</summary>
    public bool Resolve { get; set; } = true;
    /// <summary>Short forms resolve among the entities seen within this time of the story.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(30);
    /// <summary>How often the process looks for edits and new entities of other processes.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>How often the whole directory is read again (counts drift as other processes store stories).</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// The stored entities in this process's memory, so that ingestion and re-tagging resolve each story's mentions with
/// no query per mention (<see cref="EntityRules"/>). Read from the store on first use; then each story this process
/// stores is added as it commits, other processes' new entities are read every <see cref="EntityOptions.RefreshInterval"/>,
/// and the whole directory again after any edit (merge, rename, split) or every <see cref="EntityOptions.ReloadInterval"/>.
/// Ingestion never waits for a reload once the directory was read: it resolves with what it has meanwhile.
/// </summary>
public sealed class EntityDirectory(IEntityStore store, IOptions<EntityOptions> options, TimeProvider clock, ILogger<EntityDirectory> log)
{
    private readonly object _gate = new();
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly EntityRules _rules = new() { Window = options.Value.Window };
    private EntityIndex _index = new();
    private EntityChanges? _seen;
    private DateTimeOffset _checkedAt, _loadedAt;
    private volatile bool _stale;
    /// <summary>Stories observed while a reload reads the store: replayed onto the new index, which may not hold them.</summary>
    private List<(IReadOnlyList<StoryMention> Mentions, DateTimeOffset Published)>? _observedDuringLoad;

    public bool Enabled => options.Value.Resolve;

    /// <summary>The story with its mentions resolved to the entities they are (unchanged when resolution is off).</summary>
    public async Task<NewStory> ResolveAsync(NewStory story, CancellationToken ct = default) =>
        story with { Mentions = await ResolveAsync(story.Mentions, story.Published, ct) };

    public async Task<IReadOnlyList<StoryMention>> ResolveAsync(IReadOnlyList<StoryMention> mentions, DateTimeOffset published, CancellationToken ct = default)
    {
        if (!Enabled || mentions.Count == 0) return mentions;
        await RefreshIfDueAsync(ct);
        lock (_gate) return _rules.Resolve(_index, mentions, published);
    }

    /// <summary>A story was stored with these (resolved) mentions.</summary>
    public void Observe(IReadOnlyList<StoryMention> mentions, DateTimeOffset published)
    {
        if (!Enabled) return;
        lock (_gate)
        {
            _index.Observe(mentions, published);
            _observedDuringLoad?.Add((mentions, published));
        }
    }

    /// <summary>Entities were edited: read them again before the next resolution can use the change.</summary>
    public void Invalidate() => _stale = true;

    private bool Due(DateTimeOffset now) => _stale || _seen is null || now - _checkedAt >= options.Value.RefreshInterval;

    private async Task RefreshIfDueAsync(CancellationToken ct)
    {
        if (!Due(clock.GetUtcNow())) return;
        // Once read, resolution goes on with what it has while another caller refreshes.
        if (!await _refreshing.WaitAsync(0, ct))
        {
            if (_seen is not null) return;
            await _refreshing.WaitAsync(ct);
        }
        try
        {
            var now = clock.GetUtcNow();
            if (!Due(now)) return;
            _checkedAt = now;
            if (_seen is { } seen && !_stale && now - _loadedAt < options.Value.ReloadInterval)
            {
                var changes = await store.ChangesAsync(ct);
                if (changes.EditVersion == seen.EditVersion)
                {
                    if (changes.LastEntityId > seen.LastEntityId) await AddNewAsync(seen, now, ct);
                    return;
                }
            }
            await ReloadAsync(now, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException && _seen is not null)
        {
            // The store is unreachable for now: the entities already in memory still serve, and the next story tries again.
            log.LogWarning(e, "Entity directory not refreshed");
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>Entities other processes created since the last look.</summary>
    private async Task AddNewAsync(EntityChanges seen, DateTimeOffset now, CancellationToken ct)
    {
        var load = await store.DirectoryAsync(now - options.Value.Window, seen.LastEntityId, ct);
        lock (_gate)
        {
            foreach (var entry in load.Entries) _index.Add(entry);
        }
        _seen = seen with { LastEntityId = load.Changes.LastEntityId };
    }

    private async Task ReloadAsync(DateTimeOffset now, CancellationToken ct)
    {
        // Cleared first: an edit committed while the store is read makes the next story read it again.
        var wasStale = _stale;
        _stale = false;
        lock (_gate) _observedDuringLoad = [];
        try
        {
            var load = await store.DirectoryAsync(now - options.Value.Window, 0, ct);
            var index = new EntityIndex();
            foreach (var entry in load.Entries) index.Add(entry);
            lock (_gate)
            {
                foreach (var (mentions, published) in _observedDuringLoad) index.Observe(mentions, published);
                _index = index;
            }
            _seen = load.Changes;
            _loadedAt = now;
            log.LogInformation("Entity directory read: {Entities} entities", index.Count);
        }
        catch
        {
            _stale |= wasStale;
            throw;
        }
        finally
        {
            lock (_gate) _observedDuringLoad = null;
        }
    }
}
