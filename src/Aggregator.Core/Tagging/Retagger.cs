using Aggregator.Core.Stores;

namespace Aggregator.Core.Tagging;

/// <summary>
/// Re-tags stored stories after a model change: every story whose tagger version differs from the current one, or that
/// was stored before languages were detected. The language is decided again, the stored one serving as the hint.
/// </summary>
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
            foreach (var (id, title, text, language) in batch)
            {
                await stories.ReplaceTagsAsync(id, tagger.Tag(title, text, language), ct);
                done++;
            }
            after = batch[^1].Id;
            progress?.Report(done);
        }
    }
}
