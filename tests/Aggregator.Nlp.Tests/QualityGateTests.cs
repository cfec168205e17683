using Aggregator.Nlp.Training;
using Xunit.Abstractions;

namespace Aggregator.Nlp.Tests;

/// <summary>Quality gates on the committed model: micro-F1 ≥ 0.93 on the held-out corpus split and on the gold stories.</summary>
public class QualityGateTests(ITestOutputHelper output)
{
    private const double Gate = 0.93;

    [Fact]
    public void Held_out_corpus_split_micro_f1_at_least_093()
    {
        var corpus = CorpusLoader.LoadFolder(TestPaths.Corpus);
        var test = corpus.Lines.Where(l => l.IsHeldOut).Select(l => l.Document).ToList();
        Assert.True(test.Count > 100, $"only {test.Count} held-out lines");
        var report = NerEvaluator.Evaluate(NerPipeline.Default, test);
        output.WriteLine(report.ToText());
        Assert.True(report.MicroF1 >= Gate, report.ToText());
    }

    [Fact]
    public void Gold_story_files_micro_f1_at_least_093()
    {
        var stories = Directory.GetFiles(TestPaths.Stories, "story-*.txt").Order(StringComparer.Ordinal).Select(CorpusLoader.LoadStory).ToList();
        Assert.NotEmpty(stories);
        var report = NerEvaluator.Evaluate(NerPipeline.Default, stories);
        output.WriteLine(report.ToText());
        Assert.True(report.MicroF1 >= Gate, report.ToText());
    }

    [Fact]
    public void Gold_stories_jsonl_micro_f1_at_least_093()
    {
        var docs = CorpusLoader.LoadJsonl(TestPaths.StoriesJsonl);
        Assert.NotEmpty(docs);
        var report = NerEvaluator.Evaluate(NerPipeline.Default, docs);
        output.WriteLine(report.ToText());
        Assert.True(report.MicroF1 >= Gate, report.ToText());
    }
}
