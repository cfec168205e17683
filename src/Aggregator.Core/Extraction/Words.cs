namespace Aggregator.Core.Extraction;

/// <summary>Lower-cased words (runs of letters and digits) of a text, for comparing two texts by vocabulary.</summary>
internal static class Words
{
    public static IEnumerable<string> Of(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }

    public static HashSet<string> Set(IEnumerable<string> texts) => new(texts.SelectMany(Of), StringComparer.Ordinal);

    /// <summary>Share of the words of <paramref name="text"/> (counted with repeats) that occur in <paramref name="vocabulary"/>.</summary>
    public static double ShareFoundIn(string text, HashSet<string> vocabulary)
    {
        int total = 0, found = 0;
        foreach (var word in Of(text))
        {
            total++;
            if (vocabulary.Contains(word)) found++;
        }
        return total == 0 ? 0 : (double)found / total;
    }
}
