namespace Aggregator.Nlp.Tagging;

/// <summary>Two-pass tagging: first pass with local features, second pass adding document-consistency features
/// computed from the first pass's tags.</summary>
internal sealed class NerTagger
{
    public FeatureExtractor Features { get; }
    public NerModel Model { get; }

    private readonly Transitions _t1, _t2;

    public NerTagger(FeatureExtractor features, NerModel model)
    {
        Features = features;
        Model = model;
        _t1 = Transitions.From(model.Pass1);
        _t2 = Transitions.From(model.Pass2);
    }

    /// <summary>Analyses <paramref name="text"/> into <paramref name="ws"/>; final tags end up in ws.Tags.</summary>
    public void Tag(Workspace ws, string text)
    {
        Features.Analyze(ws, text);
        int n = ws.Count;
        Decoder.Viterbi(Model.Pass1, _t1, ws.View(false), ws.Pass1.AsSpan(0, n), ws.Scratch);
        FeatureExtractor.ComputeDocFeatures(ws, ws.Pass1.AsSpan(0, n));
        Decoder.Viterbi(Model.Pass2, _t2, ws.View(true), ws.Tags.AsSpan(0, n), ws.Scratch);
    }
}
