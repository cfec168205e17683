using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Tests.Support;

/// <summary>
/// The real story store, with something the test stages run before the n-th save (1, 2, ...): a lock, an outage. A save
/// is one call, of one story or of many in one transaction.
/// </summary>
public sealed class FaultyStories(IStoryStore inner, Func<int, Task> beforeSave) : IStoryStore
{
    private int _saves;

    /// <summary>Replaces the registered story store by this one around it.</summary>
    public static void Around(IServiceCollection services, Func<int, Task> beforeSave)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IStoryStore));
        services.Remove(registered);
        services.AddSingleton<IStoryStore>(sp => new FaultyStories(
            (IStoryStore)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!), beforeSave));
    }

    public async Task<(long StoryId, SaveResult Result)> SaveAsync(NewStory story, CancellationToken ct = default)
    {
        await beforeSave(Interlocked.Increment(ref _saves));
        return await inner.SaveAsync(story, ct);
    }

    public async Task<IReadOnlyList<(long StoryId, SaveResult Result)>> SaveManyAsync(IReadOnlyList<NewStory> stories, CancellationToken ct = default)
    {
        await beforeSave(Interlocked.Increment(ref _saves));
        return await inner.SaveManyAsync(stories, ct);
    }

    public Task<ExistingStory?> FindExistingAsync(long feedId, string guid, string? canonicalLink, CancellationToken ct = default) => inner.FindExistingAsync(feedId, guid, canonicalLink, ct);
    public Task LinkAsync(long feedId, string guid, string? itemTitle, long storyId, CancellationToken ct = default) => inner.LinkAsync(feedId, guid, itemTitle, storyId, ct);
    public Task ReplaceTagsAsync(long storyId, StoryTags tags, CancellationToken ct = default) => inner.ReplaceTagsAsync(storyId, tags, ct);
    public Task<IReadOnlyList<StoryToTag>> UntaggedAsync(string? taggerVersion, long afterId, int limit, CancellationToken ct = default) => inner.UntaggedAsync(taggerVersion, afterId, limit, ct);
    public Task<StoryPage> SearchAsync(StoryQuery query, CancellationToken ct = default) => inner.SearchAsync(query, ct);
    public Task<Story?> GetAsync(long id, CancellationToken ct = default) => inner.GetAsync(id, ct);
    public Task<StoreCondition> ConditionAsync(CancellationToken ct = default) => inner.ConditionAsync(ct);
    public Task<(long Version, DateTimeOffset Changed)> VersionAsync(CancellationToken ct = default) => inner.VersionAsync(ct);
    public Task<Stats> StatsAsync(DateTimeOffset now, CancellationToken ct = default) => inner.StatsAsync(now, ct);
}
