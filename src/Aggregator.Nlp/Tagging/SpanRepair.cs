using Aggregator.Nlp.Gazetteers;
using Aggregator.Nlp.Tokenization;

namespace Aggregator.Nlp.Tagging;

/// <summary>
/// Boundary rules of the guidelines (CoNLL-2003) that hold whatever the model scored, applied to the final tags:
/// <list type="bullet">
/// <item>a word that is capitalised only for its position (sentence start, headline, after a colon, quote, dash or
/// bullet) and is a function word (the function_word list: "But", "When", "However", "Email") is not part of a name:
/// it is cut from the front of a longer span ("But Merkel" → "Merkel") and a span of that word alone is dropped,
/// unless the document also uses the word inside a name;</item>
/// <item>a common acronym written as the list writes it ("CEO", "TV", "URL") is never a name;</item>
/// <item>a name glued by a hyphen to a lower-case word is part of a compound adjective, not a name
/// ("London-based", "Kremlin-backed", "U.S.-led", "anti-Kremlin").</item>
/// </list>
/// </summary>
internal static class SpanRepair
{
    private const uint FunctionWordBit = 1u << (int)GazetteerList.FunctionWord;

    /// <summary>Entity lists: a span that the gazetteer knows as a name as a whole is left alone.</summary>
    private const uint NameLists = ~((1u << (int)GazetteerList.GivenName) | (1u << (int)GazetteerList.Surname)
        | (1u << (int)GazetteerList.NameParticle) | (1u << (int)GazetteerList.Title) | (1u << (int)GazetteerList.OrgCue)
        | (1u << (int)GazetteerList.LocCue) | (1u << (int)GazetteerList.Demonym) | (1u << (int)GazetteerList.Product)
        | (1u << (int)GazetteerList.NonName) | (1u << (int)GazetteerList.Event) | (1u << (int)GazetteerList.SportCue)
        | FunctionWordBit);

    public static void Apply(Workspace ws)
    {
        var tags = ws.Tags.AsSpan(0, ws.Count);
        var insideNames = WordsInsideNames(ws, tags);
        foreach (var span in Bilou.Decode(tags))
        {
            int s = span.StartToken, e = span.EndToken;
            if (GluedByHyphen(ws, s, e) || (s == e && IsListedAcronym(ws, s)))
            {
                tags[s..(e + 1)].Clear();
                continue;
            }
            if (KnownAsWhole(ws, s, e)) continue;
            // A leading ordinary word goes only when a capitalised word follows it ("Council of Europe" keeps its head).
            while (s <= e && WeakCapital(ws, s) && IsFunctionWord(ws, s) && !insideNames.Contains(ws.Lower[s])
                   && (s == e || (ws.Info[s + 1] & (TokenInfo.InitCap | TokenInfo.AllCaps)) != 0))
                s++;
            if (s == span.StartToken) continue;
            tags[span.StartToken..s].Clear();
            if (s > e) continue;
            tags[s] = Bilou.Tag(span.Type, s == e ? Bilou.U : Bilou.B);
        }
    }

    private static bool IsFunctionWord(Workspace ws, int k) => (ws.Gaz[k].UnigramLists & FunctionWordBit) != 0;

    private static bool IsListedAcronym(Workspace ws, int k) =>
        (ws.Info[k] & TokenInfo.AllCaps) != 0 && (ws.Info[k] & TokenInfo.CapsSentence) == 0
        && ws.Gaz[k].Position == GazetteerPosition.Unit && (ws.Gaz[k].ExactLists & FunctionWordBit) != 0
        && (ws.Gaz[k].Lists & NameLists) == 0;

    private static bool KnownAsWhole(Workspace ws, int s, int e)
    {
        ref var g = ref ws.Gaz[s];
        return (g.Lists & NameLists) != 0 && (s == e ? g.Position == GazetteerPosition.Unit
            : g.Position == GazetteerPosition.Begin && ws.Gaz[e].Position == GazetteerPosition.Last && ws.Gaz[e].Node == g.Node);
    }

    /// <summary>Capitalised for its position only: first in a sentence, in a headline, or after an opening mark.</summary>
    private static bool WeakCapital(Workspace ws, int k)
    {
        var info = ws.Info[k];
        if ((info & (TokenInfo.SentenceStart | TokenInfo.CapsSentence | TokenInfo.TitleSentence | TokenInfo.NewlineBefore)) != 0) return true;
        if (k == 0) return true;
        var prev = ws.Tokens[k - 1].Span(ws.Text);
        return prev.Length == 1 && prev[0] is ':' or '"' or '“' or '‘' or '\'' or '(' or '-' or '–' or '—' or '•' or '*' or '|' or '·';
    }

    /// <summary>Words used inside a longer name away from a sentence start ("May" of "Theresa May"): the document
    /// shows them to be names, so they are kept where they stand alone.</summary>
    private static HashSet<ulong> WordsInsideNames(Workspace ws, ReadOnlySpan<byte> tags)
    {
        var words = ws.RepairWords;
        words.Clear();
        for (int j = 0; j < tags.Length; j++)
            if (Bilou.IsEntity(tags[j]) && Bilou.PositionOf(tags[j]) != Bilou.U && (ws.Info[j] & TokenInfo.SentenceStart) == 0)
                words.Add(ws.Lower[j]);
        return words;
    }

    /// <summary>"London-based": a hyphen with no space on either side joins the span to a lower-case word.</summary>
    private static bool GluedByHyphen(Workspace ws, int s, int e)
    {
        string text = ws.Text;
        var tokens = ws.Tokens;
        if (e + 2 < ws.Count && IsJoiningHyphen(tokens, text, e + 1) && char.IsLower(text[tokens[e + 2].Start])) return true;
        return s >= 2 && IsJoiningHyphen(tokens, text, s - 1) && char.IsLower(text[tokens[s - 1 - 1].End - 1]);
    }

    private static bool IsJoiningHyphen(Token[] tokens, string text, int k) =>
        tokens[k].Length == 1 && text[tokens[k].Start] is '-' or '‐' && (tokens[k].Flags & TokenFlags.SpaceBefore) == 0
        && (tokens[k + 1].Flags & TokenFlags.SpaceBefore) == 0;
}
