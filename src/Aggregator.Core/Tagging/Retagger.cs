using Aggregator.Core.Entities;
using Aggregator.Core.Stores;

namespace Aggregator.Core.Tagging;

/// <summary>
/// Re-tags stored stories after a model change (every story whose tagger version differs from the current one, or
/// every story), resolving their mentions to entities again as ingestion does.
/// </summary>
public sealed class Retagger(IStoryStore stories, StoryTagger tagger, EntityDirectory entities)
{
    private const int BatchSize = 200;

    /// <param name="all">Every story, also those tagged by the current model: resolution learns from the stories stored since.</param>
    /// <returns>How many stories were re-tagged.</returns>
    public async Task<int> RetagAsync(bool all = false, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        var done = 0;
        long after = 0;
        while (true)
        {
            var batch = await stories.UntaggedAsync(all ? null : tagger.Version, after, BatchSize, ct);
            if (batch.Count == 0) return done;
            foreach (var story in batch)
            {
                var mentions = await entities.ResolveAsync(tagger.Tag(story.Title, story.Text).Mentions, story.Published, ct);
                await stories.ReplaceTagsAsync(story.Id, mentions, tagger.Version, ct);
                entities.Observe(mentions, story.Published);
                done++;
            }
            after = batch[^1].Id;
            progress?.Report(done);
        }
    }
}
