using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Aggregator.Nlp.Gazetteers;
using Aggregator.Nlp.Tagging;
using Aggregator.Nlp.Tokenization;

namespace Aggregator.Nlp.Training;

/// <summary>Training settings. Defaults are the ones the committed model was trained with.</summary>
public sealed record NerTrainerOptions
{
    public int Pass1Epochs { get; init; } = 12;
    public int Pass2Epochs { get; init; } = 12;
    /// <summary>Folds for the jack-knifed first-pass predictions the second pass is trained on.</summary>
    public int Folds { get; init; } = 5;
    public int Seed { get; init; } = 20240611;
    /// <summary>Features seen fewer times than this in training are pruned.</summary>
    public int MinFeatureCount { get; init; } = 2;
    /// <summary>Consecutive training lines of one file are joined into pseudo documents of this many lines, so that the
    /// document-consistency features see repeated names as in real stories.</summary>
    public int LinesPerDocument { get; init; } = 6;
    /// <summary>Each final pass is trained this many times with different shuffle seeds and the averaged weights are
    /// averaged again (parameter mixing), which lowers the variance that the visiting order gives a perceptron.</summary>
    public int Mix { get; init; } = 3;
    /// <summary>Learn second-order transition weights (previous two tags); without them the decoder is first order.</summary>
    public bool SecondOrder { get; init; } = true;
    /// <summary>Also train on copies of some documents whose first paragraph (the headline) is in capitals or in title
    /// case, as wires and sites print them: the corpus is mostly written in sentence case.</summary>
    public bool HeadlineVariants { get; init; } = true;
}

/// <summary>Outcome of <see cref="NerTrainer.Train(string, string, NerTrainerOptions?, TextWriter?)"/>.</summary>
public sealed record NerTrainingResult(
    byte[] Model,
    EvaluationReport HeldOut,
    int TrainLines,
    int HeldOutLines,
    int TrainTokens,
    IReadOnlyList<string> Warnings);

/// <summary>
/// Trains the two-pass tagger from the inline-markup corpus: parse → tokenise → BILOU; 15% of lines (by FNV-1a of the
/// line) held out and never trained on; first pass trained on all training documents; second pass trained on document
/// features computed from jack-knifed first-pass predictions (each fold tagged by a first-pass model that did not see
/// it), so it learns how far to trust realistic first-pass output. Deterministic: fixed seed shuffles, fixed epochs,
/// sorted keys, no timestamps — the same corpus and gazetteer give a byte-identical model.
/// </summary>
public static class NerTrainer
{
    private sealed class TrainingDoc
    {
        public required string Text;
        public required int Count;
        public required ulong[] Feats;
        public required int[] FeatOffsets;
        public required byte[] Classes;
        public required int[] Sentence;
        public required TokenInfo[] Info;
        public required byte[] Gold;
        public ulong[] DocFeats = [];
        public int[] DocOffsets = [];

        public DocView View(bool doc) => new(Count, Feats, FeatOffsets, doc ? DocFeats : default, doc ? DocOffsets : default,
            Classes, Sentence, Info);
    }

    public static NerTrainingResult Train(string corpusDirectory, string gazetteerPath, NerTrainerOptions? options = null, TextWriter? log = null)
    {
        var corpus = CorpusLoader.LoadFolder(corpusDirectory);
        var gazetteer = Gazetteer.Load(gazetteerPath);
        var result = Train(corpus.Lines, gazetteer, options, log);
        var warnings = corpus.Warnings.Concat(gazetteer.Warnings).Concat(result.Warnings).ToList();
        return result with { Warnings = warnings };
    }

    /// <summary>Trains on the lines outside the held-out split and evaluates on the held-out ones.</summary>
    public static NerTrainingResult Train(IReadOnlyList<CorpusLine> lines, Gazetteer gazetteer, NerTrainerOptions? options = null, TextWriter? log = null) =>
        Train(lines.Where(l => !l.IsHeldOut).ToList(), lines.Where(l => l.IsHeldOut).ToList(), gazetteer, options, log);

    /// <summary>Trains on <paramref name="train"/> and evaluates on <paramref name="test"/> (an explicit split, e.g. for
    /// cross-validation inside the training portion).</summary>
    public static NerTrainingResult Train(IReadOnlyList<CorpusLine> train, IReadOnlyList<CorpusLine> test, Gazetteer gazetteer,
        NerTrainerOptions? options = null, TextWriter? log = null)
    {
        options ??= new NerTrainerOptions();
        var sw = Stopwatch.StartNew();
        var warnings = new List<string>();
        var vocabulary = LowerVocabulary(train);
        var fx = new FeatureExtractor(gazetteer, vocabulary);
        var ws = new Workspace();
        int lineCount = train.Count + test.Count;

        // Articles are documents as they stand; lines form pseudo documents of consecutive training lines of one file.
        var docs = new List<TrainingDoc>();
        int misaligned = 0, tokens = 0;
        foreach (var group in train.GroupBy(l => l.File))
        {
            var chunk = new List<CorpusLine>();
            foreach (var line in group)
            {
                var aligned = Align(line.Document, warnings);
                if (aligned is null) { misaligned++; continue; }
                if (line.IsArticle) { AddDocument(line.Document); continue; }
                chunk.Add(line);
                if (chunk.Count == options.LinesPerDocument) { AddDocument(Join(chunk)); chunk.Clear(); }
            }
            if (chunk.Count > 0) AddDocument(Join(chunk));
        }

        void AddDocument(GoldDocument doc)
        {
            docs.Add(Build(fx, ws, doc));
            // A variant whose entities no longer fall on token boundaries (the tokenizer reads capitals differently) is left out.
            if (options.HeadlineVariants && HeadlineVariant(doc) is { } variant && Align(variant, null) is not null)
                docs.Add(Build(fx, ws, variant));
        }
        tokens = docs.Sum(d => d.Count);
        log?.WriteLine($"corpus: {lineCount} lines and articles, {train.Count} train ({docs.Count} documents, {tokens} tokens), {test.Count} held out; {misaligned} lines skipped (entity not on token boundaries)");

        // Feature frequencies for pruning (static features; dynamic and document ones are few and dense).
        var freq = new Dictionary<ulong, int>();
        foreach (var d in docs)
            for (int i = 0; i < d.FeatOffsets[d.Count]; i++) freq[d.Feats[i]] = freq.GetValueOrDefault(d.Feats[i]) + 1;

        // Pass 1 on everything.
        var p1 = Enumerable.Range(0, options.Mix).Select(m => TrainPass(docs, false, options.Pass1Epochs, options.Seed + 7919 * m, options.SecondOrder)).ToList();
        log?.WriteLine($"pass 1: {p1.Max(p => p.Rows)} feature rows x {options.Mix} ({sw.Elapsed.TotalSeconds:F1}s)");

        // Jack-knifed first-pass predictions for the second pass.
        var scratch = new DecoderScratch();
        for (int fold = 0; fold < options.Folds; fold++)
        {
            var inFold = docs.Where((_, i) => i % options.Folds == fold).ToList();
            var rest = docs.Where((_, i) => i % options.Folds != fold).ToList();
            var model = TrainPass(rest, false, options.Pass1Epochs, options.Seed + fold + 1, options.SecondOrder);
            var (k, w) = model.Averaged(_ => true);
            var table = new WeightTable(k, w);
            var transitions = Transitions.From(table);
            foreach (var d in inFold)
            {
                var pass1 = new byte[d.Count];
                Decoder.Viterbi(table, transitions, d.View(false), pass1, scratch);
                fx.Analyze(ws, d.Text);
                FeatureExtractor.ComputeDocFeatures(ws, pass1);
                d.DocFeats = ws.DocFeats.AsSpan(0, ws.DocOffsets[d.Count]).ToArray();
                d.DocOffsets = ws.DocOffsets.AsSpan(0, d.Count + 1).ToArray();
            }
        }
        log?.WriteLine($"jack-knife: {options.Folds} folds ({sw.Elapsed.TotalSeconds:F1}s)");
        foreach (var d in docs)
            for (int i = 0; i < d.DocOffsets[d.Count]; i++) freq[d.DocFeats[i]] = freq.GetValueOrDefault(d.DocFeats[i]) + 1;

        var p2 = Enumerable.Range(0, options.Mix).Select(m => TrainPass(docs, true, options.Pass2Epochs, options.Seed + 1000 + 7919 * m, options.SecondOrder)).ToList();
        log?.WriteLine($"pass 2: {p2.Max(p => p.Rows)} feature rows x {options.Mix} ({sw.Elapsed.TotalSeconds:F1}s)");

        // Static/document features need MinFeatureCount occurrences; transition features (not counted) are kept.
        bool Keep(ulong key) => !freq.TryGetValue(key, out int c) || c >= options.MinFeatureCount;
        var t1 = MixWeights(p1.Select(p => p.Averaged(Keep)).ToList());
        var t2 = MixWeights(p2.Select(p => p.Averaged(Keep)).ToList());
        var metadata = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = "aggregator-ner",
            ["featureVersion"] = FeatureExtractor.Version,
            ["trainLines"] = train.Count,
            ["heldOutLines"] = test.Count,
            ["trainDocuments"] = docs.Count,
            ["trainTokens"] = tokens,
            ["pass1Epochs"] = options.Pass1Epochs,
            ["pass2Epochs"] = options.Pass2Epochs,
            ["folds"] = options.Folds,
            ["mix"] = options.Mix,
            ["secondOrder"] = options.SecondOrder,
            ["seed"] = options.Seed,
            ["minFeatureCount"] = options.MinFeatureCount,
            ["pass1Features"] = t1.Keys.Length,
            ["pass2Features"] = t2.Keys.Length,
            ["gazetteerSha256"] = gazetteer.Sha256,
            ["lowerVocabulary"] = vocabulary.Count,
        });
        var bytes = NerModel.Serialize(metadata, vocabulary, t1, t2);
        log?.WriteLine($"model: {t1.Keys.Length} + {t2.Keys.Length} features, {bytes.Length / 1024.0 / 1024.0:F1} MiB ({sw.Elapsed.TotalSeconds:F1}s)");

        var pipeline = NerPipeline.Load(bytes, gazetteer);
        var report = NerEvaluator.Evaluate(pipeline, test.Select(l => l.Document));
        return new NerTrainingResult(bytes, report, train.Count, test.Count, tokens, warnings);
    }

    /// <summary>Mean of several weight sets (a key missing from one set counts as zero there); keys ascending.</summary>
    private static (ulong[] Keys, float[] Weights) MixWeights(List<(ulong[] Keys, float[] Weights)> sets)
    {
        if (sets.Count == 1) return sets[0];
        var sum = new SortedDictionary<ulong, float[]>();
        foreach (var (keys, weights) in sets)
            for (int r = 0; r < keys.Length; r++)
            {
                if (!sum.TryGetValue(keys[r], out var row)) sum[keys[r]] = row = new float[Bilou.NumTags];
                for (int c = 0; c < Bilou.NumTags; c++) row[c] += weights[r * Bilou.NumTags + c] / sets.Count;
            }
        var outKeys = new ulong[sum.Count];
        var outWeights = new float[sum.Count * Bilou.NumTags];
        int i = 0;
        foreach (var (k, row) in sum)
        {
            outKeys[i] = k;
            row.CopyTo(outWeights, i * Bilou.NumTags);
            i++;
        }
        return (outKeys, outWeights);
    }

    /// <summary>Words written in lower case (outside entities, not sentence-initial) at least twice in the training text.</summary>
    private static HashSet<ulong> LowerVocabulary(IReadOnlyList<CorpusLine> train)
    {
        var counts = new Dictionary<ulong, int>();
        foreach (var line in train)
        {
            var doc = line.Document;
            foreach (var t in Tokenizer.Tokenize(doc.Text))
            {
                var span = t.Span(doc.Text);
                if (t.IsSentenceStart || !char.IsLower(span[0])) continue;
                bool lower = true;
                foreach (char c in span) if (char.IsUpper(c)) { lower = false; break; }
                if (!lower || doc.Spans.Any(s => s.Start < t.End && t.Start < s.End)) continue;
                ulong h = TokenHash.Lower(span);
                counts[h] = counts.GetValueOrDefault(h) + 1;
            }
        }
        return counts.Where(kv => kv.Value >= 2).Select(kv => kv.Key).ToHashSet();
    }

    /// <summary>Maps character spans to token spans; null (with a warning) when a span does not start and end on
    /// token boundaries.</summary>
    internal static List<TokenSpan>? Align(GoldDocument doc, List<string>? warnings)
    {
        var tokens = Tokenizer.Tokenize(doc.Text);
        return Align(doc, tokens, warnings);
    }

    internal static List<TokenSpan>? Align(GoldDocument doc, Token[] tokens, List<string>? warnings)
    {
        var result = new List<TokenSpan>(doc.Spans.Count);
        foreach (var span in doc.Spans)
        {
            int s = Array.FindIndex(tokens, t => t.Start == span.Start);
            int e = Array.FindIndex(tokens, t => t.End == span.End);
            if (s < 0 || e < s)
            {
                warnings?.Add($"{doc.Id}: entity '{doc.Text[span.Start..span.End]}' does not align with token boundaries");
                return null;
            }
            result.Add(new TokenSpan(s, e, span.Type));
        }
        return result;
    }

    /// <summary>Lines joined by a newline (a sentence boundary), spans shifted accordingly.</summary>
    private static GoldDocument Join(List<CorpusLine> lines)
    {
        var text = new System.Text.StringBuilder();
        var spans = new List<GoldSpan>();
        foreach (var line in lines)
        {
            if (text.Length > 0) text.Append('\n');
            int offset = text.Length;
            text.Append(line.Document.Text);
            foreach (var s in line.Document.Spans) spans.Add(new GoldSpan(s.Start + offset, s.End + offset, s.Type));
        }
        return new GoldDocument(lines[0].Document.Id, text.ToString(), spans);
    }

    private static readonly HashSet<string> TitleCaseSmallWords = new(StringComparer.Ordinal)
    { "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but", "by", "as", "with", "from", "vs" };

    /// <summary>
    /// For a quarter of the documents (chosen by a hash of the id), a copy whose first line is in capitals; for an
    /// eighth, a copy whose first line is in title case. Offsets do not move: letters are mapped one to one.
    /// </summary>
    internal static GoldDocument? HeadlineVariant(GoldDocument doc)
    {
        ulong pick = TokenHash.Fnv1a(doc.Id) % 8;
        if (pick > 2) return null;
        int end = doc.Text.IndexOf('\n');
        if (end < 0) end = doc.Text.Length;
        var chars = doc.Text.ToCharArray();
        bool wordStart = true;
        for (int i = 0; i < end; i++)
        {
            char c = chars[i];
            if (pick < 2) chars[i] = char.ToUpperInvariant(c);
            else if (wordStart && char.IsLower(c))
            {
                int j = i;
                while (j < end && char.IsLetter(chars[j])) j++;
                if (!TitleCaseSmallWords.Contains(doc.Text[i..j]) || i == 0) chars[i] = char.ToUpperInvariant(c);
            }
            wordStart = !char.IsLetterOrDigit(c) && c is not ('\'' or '’');
        }
        return doc with { Id = doc.Id + (pick < 2 ? "#caps" : "#title"), Text = new string(chars) };
    }

    private static TrainingDoc Build(FeatureExtractor fx, Workspace ws, GoldDocument doc)
    {
        fx.Analyze(ws, doc.Text);
        int n = ws.Count;
        var gold = new byte[n];
        var tokenSpans = Align(doc, ws.Tokens.AsSpan(0, n).ToArray(), null)
                         ?? throw new InvalidOperationException($"{doc.Id}: alignment changed after joining lines or changing case");
        Bilou.Encode(tokenSpans, gold);
        return new TrainingDoc
        {
            Text = doc.Text,
            Count = n,
            Feats = ws.Feats.AsSpan(0, ws.FeatOffsets[n]).ToArray(),
            FeatOffsets = ws.FeatOffsets.AsSpan(0, n + 1).ToArray(),
            Classes = ws.Classes.AsSpan(0, n).ToArray(),
            Sentence = ws.Sentence.AsSpan(0, n).ToArray(),
            Info = ws.Info.AsSpan(0, n).ToArray(),
            Gold = gold,
        };
    }

    /// <summary>Structured (Collins) averaged perceptron: Viterbi-decode each sentence with the current weights and,
    /// where the prediction differs from gold, reward the gold tags' features and transitions and penalise the
    /// predicted ones.</summary>
    private static AveragedPerceptron TrainPass(List<TrainingDoc> docs, bool useDoc, int epochs, int seed, bool secondOrder)
    {
        var model = new AveragedPerceptron();
        var rng = new Random(seed);
        var order = Enumerable.Range(0, docs.Count).ToArray();
        var scratch = new DecoderScratch();
        var transitions = new Transitions();
        var all = new ulong[512];
        var tags = new byte[64];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = rng.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            foreach (int di in order)
            {
                var d = docs[di];
                var view = d.View(useDoc);
                if (tags.Length < d.Count) tags = new byte[d.Count * 2];
                scratch.Ensure(d.Count);
                int a = 0;
                while (a < d.Count)
                {
                    int b = a + 1;
                    while (b < d.Count && !view.SentenceStart(b)) b++;
                    transitions.Refresh(model);
                    for (int i = a; i < b; i++) view.Emissions(model, i, scratch.Emissions.AsSpan(i * WeightTable.Stride, WeightTable.Stride));
                    Decoder.DecodeSentence(scratch, transitions, d.Classes, a, b, tags);
                    for (int i = a; i < b; i++)
                    {
                        byte gold = d.Gold[i], guess = tags[i];
                        byte gp = i == a ? Bilou.Start : d.Gold[i - 1], pp = i == a ? Bilou.Start : tags[i - 1];
                        byte gpp = i <= a + 1 ? Bilou.Start : d.Gold[i - 2], ppp = i <= a + 1 ? Bilou.Start : tags[i - 2];
                        if (gold != guess)
                        {
                            var st = view.Feats[view.FeatOffsets[i]..view.FeatOffsets[i + 1]];
                            var df = useDoc ? view.DocFeats[view.DocOffsets[i]..view.DocOffsets[i + 1]] : default;
                            int total = st.Length + df.Length;
                            if (all.Length < total) all = new ulong[total * 2];
                            st.CopyTo(all);
                            df.CopyTo(all.AsSpan(st.Length));
                            model.Update(all.AsSpan(0, total), gold, guess);
                        }
                        if (gold != guess || gp != pp)
                        {
                            model.UpdateOne(FeatureExtractor.TransitionKey(d.Classes[i], gp), gold, 1f);
                            model.UpdateOne(FeatureExtractor.TransitionKey(d.Classes[i], pp), guess, -1f);
                        }
                        if (secondOrder && (gold != guess || gp != pp || gpp != ppp))
                        {
                            model.UpdateOne(FeatureExtractor.TransitionKey2(gpp, gp), gold, 1f);
                            model.UpdateOne(FeatureExtractor.TransitionKey2(ppp, pp), guess, -1f);
                        }
                    }
                    model.Tick();
                    a = b;
                }
            }
        }
        return model;
    }
}
