using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Aggregator.Nlp;
using Aggregator.Nlp.Training;

namespace Aggregator.Cli.Commands;

/// <summary>CLI commands of the NER pipeline: <c>tag</c>, <c>eval</c>, <c>train</c>, <c>bench ner</c>.</summary>
public static class NlpCommands
{
    /// <summary>
    /// <c>aggregator tag</c>: JSON Lines on stdin, each <c>{"id": ..., "text": "..."}</c> (other fields ignored; the id is
    /// echoed back exactly as it came, string or number); one line out per input, in order:
    /// <c>{"id": ..., "entities": [{"start": 24, "end": 37, "type": "PERSON", "text": "Sergei Lavrov"}]}</c>.
    /// Blank input lines are skipped; a line that cannot be read gets <c>"entities": []</c> and an <c>"error"</c>, and
    /// the exit code is 1.
    /// </summary>
    public static int Tag(TextReader stdin, TextWriter stdout)
    {
        var pipeline = NerPipeline.Default;
        bool failed = false;
        var batch = new List<string>(BatchLines);
        var answers = new (string Json, bool Error)[BatchLines];
        string? line;
        do
        {
            line = stdin.ReadLine();
            if (line is not null)
            {
                line = line.TrimStart('\uFEFF');
                if (line.Trim().Length > 0) batch.Add(line);
            }
            if (batch.Count < BatchLines && line is not null) continue;
            // Documents are independent and the pipeline is thread-safe: a batch is tagged on every core, written in order.
            Parallel.For(0, batch.Count, i => answers[i] = Answer(pipeline, batch[i]));
            for (int i = 0; i < batch.Count; i++)
            {
                failed |= answers[i].Error;
                stdout.Write(answers[i].Json);
                stdout.Write('\n');
            }
            batch.Clear();
        }
        while (line is not null);
        stdout.Flush();
        return failed ? 1 : 0;
    }

    private const int BatchLines = 256;

    /// <summary>The output line for one input line, and whether the line could not be read.</summary>
    private static (string Json, bool Error) Answer(NerPipeline pipeline, string line)
    {
        bool error = false;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, CliJson.Writer))
        {
            w.WriteStartObject();
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                w.WritePropertyName("id");
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var id)) id.WriteTo(w);
                else w.WriteNullValue();
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("text", out var textEl) || textEl.ValueKind != JsonValueKind.String)
                    throw new FormatException("missing string field \"text\"");
                string text = textEl.GetString() ?? "";
                w.WriteStartArray("entities");
                foreach (var m in pipeline.Tag(text))
                {
                    w.WriteStartObject();
                    w.WriteNumber("start", m.Start);
                    w.WriteNumber("end", m.End);
                    w.WriteString("type", EntityTypes.ToWire(m.Type));
                    w.WriteString("text", m.Text);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            catch (Exception ex) when (ex is JsonException or FormatException)
            {
                error = true;
                w.Reset();
                buffer.Clear();
                w.WriteStartObject();
                w.WritePropertyName("id");
                if (IdOf(line) is { } raw) w.WriteRawValue(raw, skipInputValidation: true);
                else w.WriteNullValue();
                w.WriteStartArray("entities");
                w.WriteEndArray();
                w.WriteString("error", ex.Message);
            }
            w.WriteEndObject();
        }
        return (System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), error);
    }

    /// <summary>The raw JSON of the line's top-level "id" as far as the line can be read (an error line still names the
    /// document it answers), or null.</summary>
    private static string? IdOf(string line)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(line);
        var reader = new Utf8JsonReader(bytes);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1 || !reader.ValueTextEquals("id")) continue;
                reader.Read();
                return reader.TokenType is JsonTokenType.String or JsonTokenType.Number
                    ? System.Text.Encoding.UTF8.GetString(bytes.AsSpan((int)reader.TokenStartIndex, (int)(reader.BytesConsumed - reader.TokenStartIndex)))
                    : null;
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    /// <summary><c>aggregator eval GOLD.jsonl [--sentences] [--model FILE]</c>: tags every
    /// <c>{"id","text","entities":[{start,end,type}]}</c> line and prints precision/recall/F1 per type and micro; the last
    /// line is <c>micro_f1=0.xxx</c>. Lines that share a <c>"doc"</c> are tagged together as one article, as stories are;
    /// <c>--sentences</c> tags each line alone. <c>--model</c> scores a model file (from <c>train --out</c>) instead of the
    /// embedded one, with the embedded gazetteer.</summary>
    public static int Eval(CliArgs args, TextWriter stdout)
    {
        if (args.Positional.Count != 1)
        {
            stdout.WriteLine("error: eval takes one gold file");
            return 2;
        }
        string goldJsonlPath = args.Positional[0];
        string? modelPath = args.Option("model");
        foreach (var path in new[] { goldJsonlPath, modelPath })
            if (path is not null && !File.Exists(path))
            {
                stdout.WriteLine($"error: no such file: {path}");
                return 2;
            }
        bool sentences = args.Flag("sentences");
        var pipeline = modelPath is null ? NerPipeline.Default : NerPipeline.LoadWithEmbeddedGazetteer(File.ReadAllBytes(modelPath));
        var docs = CorpusLoader.LoadJsonl(goldJsonlPath, joinDocuments: !sentences);
        var report = NerEvaluator.Evaluate(pipeline, docs);
        stdout.WriteLine($"model={pipeline.ModelVersion}");
        stdout.WriteLine(sentences ? "unit=line" : "unit=article (lines of one doc tagged together)");
        stdout.WriteLine(report.ToText());
        stdout.Flush();
        return 0;
    }

    /// <summary><c>aggregator train [--corpus DIR] [--gazetteer FILE] [--out FILE]</c>: trains the two-pass tagger, writes
    /// the model and prints the scores on the held-out 15% of the corpus.</summary>
    public static int Train(string[] args, TextWriter stdout)
    {
        string corpus = "src/Aggregator.Nlp/Training/Corpus";
        string gazetteer = "src/Aggregator.Nlp/Resources/gazetteer.tsv";
        string output = "src/Aggregator.Nlp/Resources/ner.model";
        var options = new NerTrainerOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            try
            {
                switch (a)
                {
                    case "--corpus": corpus = Next(); break;
                    case "--gazetteer": gazetteer = Next(); break;
                    case "--out": output = Next(); break;
                    case "--no-headline-variants": options = options with { HeadlineVariants = false }; break;
                    default:
                        stdout.WriteLine($"error: unknown option {a}");
                        stdout.WriteLine("usage: aggregator train [--corpus DIR] [--gazetteer FILE] [--out FILE] [--no-headline-variants]");
                        return 2;
                }
            }
            catch (ArgumentException ex)
            {
                stdout.WriteLine($"error: {ex.Message}");
                return 2;
            }
        }
        if (!Directory.Exists(corpus)) { stdout.WriteLine($"error: corpus folder not found: {corpus}"); return 2; }
        if (!File.Exists(gazetteer)) { stdout.WriteLine($"error: gazetteer not found: {gazetteer}"); return 2; }

        var sw = Stopwatch.StartNew();
        var result = NerTrainer.Train(corpus, gazetteer, options, stdout);
        foreach (var w in result.Warnings.Take(50)) stdout.WriteLine($"warning: {w}");
        if (result.Warnings.Count > 50) stdout.WriteLine($"warning: ... {result.Warnings.Count - 50} more");
        string? dir = Path.GetDirectoryName(Path.GetFullPath(output));
        if (dir != null) Directory.CreateDirectory(dir);
        File.WriteAllBytes(output, result.Model);
        string version = "ner-1+" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(result.Model))[..12];
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {output} ({result.Model.Length / 1024.0 / 1024.0:F2} MiB, {version}) in {sw.Elapsed.TotalSeconds:F1}s"));
        stdout.WriteLine($"held-out split ({result.HeldOutLines} lines, never trained on):");
        stdout.WriteLine(result.HeldOut.ToText());
        stdout.Flush();
        return 0;
    }

    /// <summary><c>aggregator bench ner</c>: single-threaded tokens/second of tokenize + tag on a fixed built-in news text,
    /// after warm-up.</summary>
    public static int BenchNer(TextWriter stdout)
    {
        var sw = Stopwatch.StartNew();
        var pipeline = NerPipeline.Default;
        double loadMs = sw.Elapsed.TotalMilliseconds;
        var result = NerBenchmark.Run(pipeline);
        var ci = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(ci, $"model={pipeline.ModelVersion} load_ms={loadMs:F0} model_weights_mib={pipeline.ModelMemoryBytes / 1024.0 / 1024.0:F1}"));
        stdout.WriteLine(string.Create(ci, $"tokens={result.Tokens} seconds={result.Seconds:F2} iterations={result.Iterations}"));
        stdout.WriteLine(string.Create(ci, $"tokens_per_second={result.TokensPerSecond:F0}"));
        stdout.Flush();
        return 0;
    }
}
