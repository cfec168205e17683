using System.Reflection;
using System.Security.Cryptography;
using Aggregator.Nlp.Gazetteers;
using Aggregator.Nlp.Tagging;
using Aggregator.Nlp.Tokenization;

namespace Aggregator.Nlp;

/// <summary>
/// In-process named-entity recognition for English news: tokenizer → gazetteer lookup → two-pass averaged perceptron
/// (BILOU over PER/LOC/ORG) → boundary rules of the guidelines → document-level normalisation. Offsets into the input string are the single source of
/// truth. Instances are immutable and thread-safe.
/// </summary>
public sealed class NerPipeline
{
    public const string ModelResourceName = "Aggregator.Nlp.Resources.ner.model";
    public const string GazetteerResourceName = "Aggregator.Nlp.Resources.gazetteer.tsv";

    private static readonly Lazy<NerPipeline> s_default = new(LoadDefault, LazyThreadSafetyMode.ExecutionAndPublication);

    [ThreadStatic] private static Workspace? t_workspace;

    internal NerTagger Tagger { get; }
    internal Gazetteer Gazetteer { get; }

    /// <summary>Model identity: "ner-1+" and the first 12 hex digits of the SHA-256 of the model bytes.</summary>
    public string ModelVersion { get; }

    /// <summary>Training metadata stored in the model (JSON).</summary>
    public string ModelMetadata => Tagger.Model.Metadata;

    /// <summary>Approximate bytes held by the weight tables.</summary>
    public long ModelMemoryBytes => Tagger.Model.MemoryBytes;

    private NerPipeline(NerModel model, Gazetteer gazetteer, string version)
    {
        Gazetteer = gazetteer;
        Tagger = new NerTagger(new FeatureExtractor(gazetteer, model.LowerVocabulary), model);
        ModelVersion = version;
    }

    /// <summary>The embedded model and gazetteer, loaded once on first use (thread-safe).</summary>
    public static NerPipeline Default => s_default.Value;

    private static NerPipeline LoadDefault()
    {
        using var model = OpenResource(typeof(NerPipeline).Assembly, ModelResourceName);
        using var ms = new MemoryStream();
        model.CopyTo(ms);
        return LoadWithEmbeddedGazetteer(ms.ToArray());
    }

    /// <summary>A model file (e.g. a candidate from <c>aggregator train --out</c>) with the embedded gazetteer.</summary>
    public static NerPipeline LoadWithEmbeddedGazetteer(byte[] modelBytes)
    {
        using var gazetteer = OpenResource(typeof(NerPipeline).Assembly, GazetteerResourceName);
        return Load(modelBytes, Gazetteer.Load(gazetteer));
    }

    private static Stream OpenResource(Assembly asm, string name) =>
        asm.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"embedded resource '{name}' is missing: build with src/Aggregator.Nlp/Resources/{name[(name.IndexOf("Resources.", StringComparison.Ordinal) + 10)..]} present");

    /// <summary>Loads a model file and a gazetteer (gazetteer.tsv format).</summary>
    public static NerPipeline Load(Stream model, Stream gazetteer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(gazetteer);
        using var ms = new MemoryStream();
        model.CopyTo(ms);
        return Load(ms.ToArray(), Gazetteer.Load(gazetteer));
    }

    internal static NerPipeline Load(byte[] modelBytes, Gazetteer gazetteer)
    {
        var nerModel = NerModel.Deserialize(modelBytes);
        string version = "ner-1+" + Convert.ToHexStringLower(SHA256.HashData(modelBytes))[..12];
        return new NerPipeline(nerModel, gazetteer, version);
    }

    private const int MaxRetainedFeatures = 1 << 21;

    private static Workspace Workspace => t_workspace ??= new Workspace();

    /// <summary>Tags <paramref name="text"/>; mentions in text order with UTF-16 offsets (end exclusive).</summary>
    public IReadOnlyList<EntityMention> Tag(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) return [];
        var ws = Workspace;
        Tagger.Tag(ws, text);
        SpanRepair.Apply(ws);
        int n = ws.Count;
        var result = EntityNormalizer.Build(text, ws.Tokens.AsSpan(0, n), ws.Tags.AsSpan(0, n), ws.Lower.AsSpan(0, n), Gazetteer);
        ws.Text = "";
        // Do not keep the scratch of an unusually large document alive on this thread.
        if (ws.Feats.Length > MaxRetainedFeatures) t_workspace = null;
        return result;
    }

    /// <summary>Number of tokens the pipeline's tokenizer produces for <paramref name="text"/>.</summary>
    public static int CountTokens(string text)
    {
        var ws = Workspace;
        return Tokenizer.Tokenize(text, ref ws.Tokens);
    }
}
