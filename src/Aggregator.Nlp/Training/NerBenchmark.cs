using System.Diagnostics;

namespace Aggregator.Nlp.Training;

/// <summary>Result of <see cref="NerBenchmark.Run"/>.</summary>
public sealed record BenchmarkResult(long Tokens, double Seconds, int Iterations)
{
    public double TokensPerSecond => Tokens / Seconds;
}

/// <summary>Single-threaded throughput of tokenize + tag (both passes, normalisation included) on a fixed text.</summary>
public static class NerBenchmark
{
    /// <summary>Built-in English news text (the project's own writing).</summary>
    public const string Text =
        "KABUL (Reuters) - Russian Foreign Minister Sergei Lavrov said on Tuesday that the Taliban had been invited to " +
        "talks in Moscow next month, the first such meeting since the group took power in Afghanistan in 2021.\n\n" +
        "Lavrov told reporters after meeting his Chinese counterpart Wang Yi in Beijing that Russia, China, Iran and " +
        "Pakistan wanted a \"stable and inclusive\" government in Kabul. \"We are not going to recognise anyone until " +
        "they keep their promises,\" he said.\n\n" +
        "The Taliban's chief spokesman, Zabihullah Mujahid, welcomed the invitation but said the movement would not " +
        "accept conditions set by foreign powers. The United Nations Security Council is due to discuss Afghanistan " +
        "on Thursday, and U.S. Secretary of State Antony Blinken will travel to Brussels for a NATO meeting.\n\n" +
        "Shares of Microsoft Corp. rose 3.5% to $41.20 in New York after the company said it would invest $1,250 " +
        "million in data centres in Germany and France. Analysts at Goldman Sachs said the move put pressure on " +
        "Amazon and Google.\n\n" +
        "In Gaza, the Hamas-run health ministry said 41 people were killed in Israeli strikes overnight. Israeli " +
        "Prime Minister Benjamin Netanyahu said the campaign would continue until Hamas was destroyed, while Egypt " +
        "and Qatar pressed for a ceasefire. The Islamic State (IS) claimed an attack in northern Syria, where " +
        "Kurdish-led forces backed by Washington hold territory near the Turkish border.\n\n" +
        "U.N. Secretary-General Antonio Guterres called for restraint. Mr. Guterres, speaking in Geneva, said " +
        "aid agencies including the World Health Organization and the International Committee of the Red Cross " +
        "needed safe access. Real Madrid beat Barcelona 3-1 on Sunday, with Kylian Mbappe scoring twice.";

    public static BenchmarkResult Run(NerPipeline pipeline, double seconds = 2.0, string? text = null)
    {
        text ??= Text;
        int tokens = NerPipeline.CountTokens(text);
        // Warm-up (JIT tiering, caches).
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < Math.Min(1.0, seconds / 2)) pipeline.Tag(text);
        int iterations = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            pipeline.Tag(text);
            iterations++;
        }
        sw.Stop();
        return new BenchmarkResult((long)tokens * iterations, sw.Elapsed.TotalSeconds, iterations);
    }
}
