using System.Globalization;
using System.Text;

namespace Aggregator.Nlp.Training;

/// <summary>True positives, false positives and false negatives with the derived scores.</summary>
public readonly record struct Counts(int Tp, int Fp, int Fn)
{
    public double Precision => Tp + Fp == 0 ? 0 : (double)Tp / (Tp + Fp);
    public double Recall => Tp + Fn == 0 ? 0 : (double)Tp / (Tp + Fn);
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
    public static Counts operator +(Counts a, Counts b) => new(a.Tp + b.Tp, a.Fp + b.Fp, a.Fn + b.Fn);
}

/// <summary>One wrong or missed span, for error analysis.</summary>
public sealed record EvaluationError(string DocumentId, string Kind, int Start, int End, EntityType Type, string Text);

/// <summary>Per-type and micro-averaged precision/recall/F1 (exact span and type).</summary>
public sealed class EvaluationReport
{
    public required IReadOnlyDictionary<EntityType, Counts> PerType { get; init; }
    public required int Documents { get; init; }
    public IReadOnlyList<EvaluationError> Errors { get; init; } = [];

    public Counts Micro => PerType.Values.Aggregate(new Counts(), (a, b) => a + b);
    public double MicroF1 => Micro.F1;

    /// <summary>Text report; the last line is <c>micro_f1=0.xxx</c>.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.AppendLine(ci, $"documents={Documents}");
        sb.AppendLine("type          precision  recall  f1     tp    fp    fn");
        foreach (var type in Enum.GetValues<EntityType>())
        {
            var c = PerType.TryGetValue(type, out var x) ? x : default;
            sb.AppendLine(ci, $"{EntityTypes.ToWire(type),-13} {c.Precision,9:F3}  {c.Recall,6:F3}  {c.F1,5:F3}  {c.Tp,5} {c.Fp,5} {c.Fn,5}");
        }
        var m = Micro;
        sb.AppendLine(ci, $"{"micro",-13} {m.Precision,9:F3}  {m.Recall,6:F3}  {m.F1,5:F3}  {m.Tp,5} {m.Fp,5} {m.Fn,5}");
        sb.Append(ci, $"micro_f1={m.F1:F3}");
        return sb.ToString();
    }

    public override string ToString() => ToText();
}

/// <summary>Tags gold documents and scores exact span-and-type matches.</summary>
public static class NerEvaluator
{
    public static EvaluationReport Evaluate(NerPipeline pipeline, IEnumerable<GoldDocument> documents)
    {
        var pairs = new List<(GoldDocument, IReadOnlyList<GoldSpan>)>();
        foreach (var doc in documents)
        {
            var predicted = pipeline.Tag(doc.Text).Select(m => new GoldSpan(m.Start, m.End, m.Type)).ToList();
            pairs.Add((doc, predicted));
        }
        return Score(pairs);
    }

    public static EvaluationReport Score(IEnumerable<(GoldDocument Gold, IReadOnlyList<GoldSpan> Predicted)> pairs)
    {
        var counts = Enum.GetValues<EntityType>().ToDictionary(t => t, _ => new Counts());
        var errors = new List<EvaluationError>();
        int docs = 0;
        foreach (var (gold, predicted) in pairs)
        {
            docs++;
            var goldSet = gold.Spans.ToHashSet();
            var predSet = predicted.ToHashSet();
            foreach (var p in predSet)
            {
                bool ok = goldSet.Contains(p);
                counts[p.Type] += ok ? new Counts(1, 0, 0) : new Counts(0, 1, 0);
                if (!ok) errors.Add(new EvaluationError(gold.Id, "FP", p.Start, p.End, p.Type, Slice(gold.Text, p)));
            }
            foreach (var g in goldSet)
            {
                if (predSet.Contains(g)) continue;
                counts[g.Type] += new Counts(0, 0, 1);
                errors.Add(new EvaluationError(gold.Id, "FN", g.Start, g.End, g.Type, Slice(gold.Text, g)));
            }
        }
        return new EvaluationReport { PerType = counts, Documents = docs, Errors = errors };
    }

    private static string Slice(string text, GoldSpan s) =>
        s.Start >= 0 && s.End <= text.Length && s.Start <= s.End ? text[s.Start..s.End] : "";
}
