using Aggregator.Core.Stores;

namespace Aggregator.Core.Tagging;

/// <summary>Re-tags stored stories after a model change: every story whose tagger version differs from the current one.</summary>
public sealed class Retagger(IStoryStore stories, StoryTagger tagger)
{
    private const int BatchSize = 200;

    /// <returns>How many stories were re-tagged.</returns>
    public async Task<int> RetagAsync(IProgress<int>? progress = null, CancellationToken ct = default)
    {
        var done = 0;
        long after = 0;
        while (true)
        {
            var batch = await stories.UntaggedAsync(tagger.Version, after, BatchSize, ct);
            if (batch.Count == 0) return done;
            foreach (var (id, title, text) in batch)
            {
                await stories.ReplaceTagsAsync(id, tagger.Tag(title, text).Mentions, tagger.Version, ct);
                done++;
            }
            after = batch[^1].Id;
            progress?.Report(done);
        }
    }
}
