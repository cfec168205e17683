using Aggregator.Nlp.Tokenization;

namespace Aggregator.Nlp.Tests;

public class TokenizerTests
{
    private static string[] Words(string text) => Tokenizer.Tokenize(text).Select(t => t.Text(text)).ToArray();

    private static (int, int)[] Offsets(string text) => Tokenizer.Tokenize(text).Select(t => (t.Start, t.End)).ToArray();

    [Fact]
    public void Offsets_are_exact_and_point_into_the_original_text()
    {
        const string text = "Mr. Lavrov said  Taliban's\tleader";
        Assert.Equal([(0, 3), (4, 10), (11, 15), (17, 24), (24, 26), (27, 33)], Offsets(text));
        Assert.Equal(["Mr.", "Lavrov", "said", "Taliban", "'s", "leader"], Words(text));
    }

    [Theory]
    [InlineData("the U.S. and U.N. agreed", new[] { "the", "U.S.", "and", "U.N.", "agreed" })]
    [InlineData("Gen. Smith met Mr. Jones at 10 a.m. on Feb. 3", new[] { "Gen.", "Smith", "met", "Mr.", "Jones", "at", "10", "a.m.", "on", "Feb.", "3" })]
    [InlineData("Apple Inc. and Acme Corp. rose", new[] { "Apple", "Inc.", "and", "Acme", "Corp.", "rose" })]
    [InlineData("J. D. Vance spoke", new[] { "J.", "D.", "Vance", "spoke" })]
    [InlineData("rose 3.5% to $41.20, or 1,250 shares; won 6-4", new[] { "rose", "3.5", "%", "to", "$", "41.20", ",", "or", "1,250", "shares", ";", "won", "6-4" })]
    [InlineData("see https://example.com/a?b=1. Or mail press@un.org.", new[] { "see", "https://example.com/a?b=1", ".", "Or", "mail", "press@un.org", "." })]
    [InlineData("the Taliban’s leader and Lavrov's aide", new[] { "the", "Taliban", "’s", "leader", "and", "Lavrov", "'s", "aide" })]
    [InlineData("Al-Qaeda, O'Brien and al-Assad", new[] { "Al-Qaeda", ",", "O'Brien", "and", "al-Assad" })]
    [InlineData("a Moscow-based, anti-Taliban well-known group", new[] { "a", "Moscow", "-", "based", ",", "anti", "-", "Taliban", "well-known", "group" })]
    [InlineData("the Russia-Ukraine war", new[] { "the", "Russia", "-", "Ukraine", "war" })]
    [InlineData("“No,” he said — ‘never’.", new[] { "“", "No", ",", "”", "he", "said", "—", "‘", "never", "’", "." })]
    [InlineData("\"Yes\" -- maybe...", new[] { "\"", "Yes", "\"", "--", "maybe", "..." })]
    [InlineData("the ministers' plan", new[] { "the", "ministers", "'", "plan" })]
    [InlineData("U.S.-led forces", new[] { "U.S.", "-", "led", "forces" })]
    [InlineData("sold to AirAsia X.", new[] { "sold", "to", "AirAsia", "X", "." })]
    [InlineData("Britvic PLC.", new[] { "Britvic", "PLC", "." })]
    [InlineData("RUSSIA'S LAVROV SAYS", new[] { "RUSSIA", "'S", "LAVROV", "SAYS" })]
    [InlineData("won 2-1 in 2024.", new[] { "won", "2-1", "in", "2024", "." })]
    public void Splits_news_text(string text, string[] expected) => Assert.Equal(expected, Words(text));

    [Fact]
    public void Dateline_is_split_into_place_agency_and_dash()
    {
        const string text = "KABUL (Reuters) - A bomb";
        Assert.Equal(["KABUL", "(", "Reuters", ")", "-", "A", "bomb"], Words(text));
        Assert.Equal([(0, 5), (6, 7), (7, 14), (14, 15), (16, 17), (18, 19), (20, 24)], Offsets(text));
    }

    [Fact]
    public void Reusable_buffer_grows()
    {
        var text = string.Join(" ", Enumerable.Repeat("word", 1000));
        var buffer = new Token[4];
        Assert.Equal(1000, Tokenizer.Tokenize(text, ref buffer));
        Assert.Equal((4995, 4999), (buffer[999].Start, buffer[999].End));
    }

    [Fact]
    public void Empty_and_whitespace_text_has_no_tokens()
    {
        Assert.Empty(Tokenizer.Tokenize(""));
        Assert.Empty(Tokenizer.Tokenize(" \n\t "));
    }
}

public class SentenceSplitterTests
{
    private static string[] Sentences(string text)
    {
        var tokens = Tokenizer.Tokenize(text);
        var starts = tokens.Select((t, i) => (t, i)).Where(x => x.t.IsSentenceStart).Select(x => x.t.Start).ToList();
        starts.Add(text.Length);
        return starts.Zip(starts.Skip(1), (a, b) => text[a..b].Trim()).ToArray();
    }

    [Fact]
    public void Abbreviations_and_initials_do_not_end_sentences()
    {
        var s = Sentences("Mr. Smith met Gen. J. D. Vance in the U.S. capital on Feb. 3 at 9 a.m. local time. He left. Then Dr. Who arrived!");
        Assert.Equal(["Mr. Smith met Gen. J. D. Vance in the U.S. capital on Feb. 3 at 9 a.m. local time.", "He left.", "Then Dr. Who arrived!"], s);
    }

    [Fact]
    public void Quotes_after_terminal_punctuation_stay_with_the_sentence()
    {
        var s = Sentences("\"We will win.\" The crowd cheered. “Really?” she asked.");
        Assert.Equal(["\"We will win.\"", "The crowd cheered.", "“Really?” she asked."], s);
    }

    [Fact]
    public void Decimals_and_lower_case_continuations_do_not_split()
    {
        var s = Sentences("Shares rose 3.5 percent... and then fell. Oil was at $80.10 a barrel.");
        Assert.Equal(["Shares rose 3.5 percent... and then fell.", "Oil was at $80.10 a barrel."], s);
    }

    [Fact]
    public void Line_and_paragraph_breaks_are_boundaries()
    {
        const string text = "TALIBAN BAN WOMEN FROM AID WORK\nKABUL (Reuters) - The ban was announced\n\nA second paragraph";
        var tokens = Tokenizer.Tokenize(text);
        Assert.Equal(["TALIBAN BAN WOMEN FROM AID WORK", "KABUL (Reuters) - The ban was announced", "A second paragraph"], Sentences(text));
        Assert.True((tokens.First(t => t.Text(text) == "A").Flags & TokenFlags.ParagraphStart) != 0);
        Assert.True((tokens.First(t => t.Text(text) == "KABUL").Flags & TokenFlags.ParagraphStart) == 0);
    }
}
