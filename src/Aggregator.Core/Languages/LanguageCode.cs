namespace Aggregator.Core.Languages;

/// <summary>ISO 639-1 language codes: the two lower-case letters stories are stored and filtered by.</summary>
public static class LanguageCode
{
    public const string English = "en";

    /// <summary>Every ISO 639-1 code (the 183 of the standard).</summary>
    private static readonly HashSet<string> Codes =
    [
        .. """
        aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo
        es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka
        kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng
        nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su
        sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
    ];

    /// <summary>The ISO 639-1 code, lower-cased ("DE" → "de"); null when it is none.</summary>
    public static string? Parse(string? code)
    {
        var lower = code?.Trim().ToLowerInvariant();
        return lower is not null && Codes.Contains(lower) ? lower : null;
    }

    /// <summary>
    /// The language a feed declares, as a code: a language tag's primary subtag ("en-US", "pt_BR", "de-DE-1996" → "en",
    /// "pt", "de"); null when the declaration names no ISO 639-1 language ("x-klingon", "English", "").
    /// </summary>
    public static string? FromDeclared(string? declared)
    {
        if (string.IsNullOrWhiteSpace(declared)) return null;
        var primary = declared.Trim().Split('-', '_')[0];
        return primary.Length == 2 ? Parse(primary) : null;
    }
}
