using Aggregator.Nlp.Gazetteers;
using Aggregator.Nlp.Training;

namespace Aggregator.Nlp.Tests;

/// <summary>Training determinism and model serialisation, on a small slice of the corpus and the test gazetteer.</summary>
public class ModelTests
{
    private static readonly NerTrainerOptions Small = new() { Pass1Epochs = 3, Pass2Epochs = 3, Folds = 2, Mix = 2 };

    private static IReadOnlyList<CorpusLine> Slice() =>
        CorpusLoader.LoadFolder(TestPaths.Corpus).Lines.Where((_, i) => i % 8 == 0).ToList();

    private static readonly string[] Samples =
    [
        "Russian Foreign Minister Sergei Lavrov said in Moscow that the Taliban had been invited.",
        "KABUL (Reuters) - A suicide bomber struck a mosque in Kabul, a Taliban spokesman said.\n\nLavrov later met officials.",
        "Shares of Microsoft rose 3.5% in New York after the company said it would invest in Germany.",
    ];

    [Fact]
    public void Save_and_load_round_trip_gives_identical_tags_and_training_is_deterministic()
    {
        var lines = Slice();
        var gaz = Gazetteer.Load(TestPaths.TestGazetteer);
        var a = NerTrainer.Train(lines, gaz, Small);
        var b = NerTrainer.Train(lines, Gazetteer.Load(TestPaths.TestGazetteer), Small);
        Assert.Equal(a.Model, b.Model); // same corpus -> byte-identical model

        var path = Path.Combine(Path.GetTempPath(), $"ner-{Guid.NewGuid():N}.model");
        try
        {
            File.WriteAllBytes(path, a.Model);
            using var m1 = new MemoryStream(a.Model);
            using var g1 = File.OpenRead(TestPaths.TestGazetteer);
            var p1 = NerPipeline.Load(m1, g1);
            using var m2 = File.OpenRead(path);
            using var g2 = File.OpenRead(TestPaths.TestGazetteer);
            var p2 = NerPipeline.Load(m2, g2);
            Assert.Equal(p1.ModelVersion, p2.ModelVersion);
            Assert.Matches("^ner-1\\+[0-9a-f]{12}$", p1.ModelVersion);
            foreach (var text in Samples) Assert.Equal(p1.Tag(text), p2.Tag(text));
            Assert.NotEmpty(p1.Tag(Samples[0]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Corrupt_model_is_rejected()
    {
        using var m = new MemoryStream([1, 2, 3, 4]);
        using var g = File.OpenRead(TestPaths.TestGazetteer);
        Assert.ThrowsAny<Exception>(() => NerPipeline.Load(m, g));
    }
}
