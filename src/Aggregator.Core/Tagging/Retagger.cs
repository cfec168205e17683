using Aggregator.Core.Entities;
using Aggregator.Core.Stores;

namespace Aggregator.Core.Tagging;

/// <summary>
/// Re-tags stored stories after a model change (every story whose tagger version differs from the current one, or that
/// was stored before languages were detected; or every story), deciding the language again with the stored one as the
/// hint and resolving the mentions to entities again as ingestion does.
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
                var tags = tagger.Tag(story.Title, story.Text, story.Language);
                var mentions = await entities.ResolveAsync(tags.Mentions, story.Published, ct);
                await stories.ReplaceTagsAsync(story.Id, tags with { Mentions = mentions }, ct);
                entities.Observe(mentions, story.Published);
                done++;
            }
            after = batch[^1].Id;
            progress?.Report(done);
        }
    }
}
