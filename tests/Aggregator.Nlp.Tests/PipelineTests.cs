namespace Aggregator.Nlp.Tests;

/// <summary>Behaviour of the committed model (embedded resources).</summary>
public class PipelineTests
{
    private static readonly NerPipeline P = NerPipeline.Default;

    private static (string, EntityType)[] Spans(IReadOnlyList<EntityMention> m) => m.Select(x => (x.Text, x.Type)).ToArray();

    [Fact]
    public void Lavrov_sentence_is_tagged_with_exact_offsets()
    {
        const string text = "Russian Foreign Minister Sergei Lavrov said in Moscow that the Taliban had been invited to talks.";
        var m = P.Tag(text);
        Assert.Equal(
        [
            new EntityMention(25, 38, EntityType.Person, "Sergei Lavrov", "Sergei Lavrov"),
            new EntityMention(47, 53, EntityType.Location, "Moscow", "Moscow"),
            new EntityMention(63, 70, EntityType.Organization, "Taliban", "Taliban"),
        ], m);
        Assert.DoesNotContain(m, x => x.Start < 24); // neither "Russian" nor "Foreign Minister"
    }

    [Fact]
    public void Dateline_and_possessive()
    {
        const string text = "KABUL (Reuters) - The Taliban's supreme leader met Chinese envoys in Kabul on Tuesday.";
        var m = P.Tag(text);
        Assert.Equal([("KABUL", EntityType.Location), ("Reuters", EntityType.Organization), ("Taliban", EntityType.Organization), ("Kabul", EntityType.Location)], Spans(m));
        Assert.Equal((22, 29), (m[2].Start, m[2].End));
        Assert.Equal("Kabul", m[0].Canonical);
    }

    [Fact]
    public void Document_consistency_tags_a_later_surname_as_the_same_person()
    {
        const string text = "Russian Foreign Minister Sergei Lavrov arrived in Ankara on Monday for talks on grain exports.\n\n" +
                            "Lavrov told reporters the talks had been useful.";
        var m = P.Tag(text);
        var later = Assert.Single(m, x => x.Start > 90 && x.Text == "Lavrov");
        Assert.Equal(EntityType.Person, later.Type);
        Assert.Equal("Sergei Lavrov", later.Canonical);
        Assert.Equal(text.IndexOf("Lavrov told", StringComparison.Ordinal), later.Start);
    }

    [Fact]
    public void Mentions_are_normalised_within_the_document()
    {
        const string text = "The United Nations said on Monday that Islamic State fighters had attacked a U.S. base in Syria. " +
                            "The UN warned that IS could regroup.";
        var m = P.Tag(text);
        Assert.Contains(m, x => x.Text == "UN" && x.Canonical == "United Nations" && x.Type == EntityType.Organization);
        Assert.Contains(m, x => x.Text == "IS" && x.Canonical == "Islamic State" && x.Type == EntityType.Organization);
        Assert.Contains(m, x => x.Text == "U.S." && x.Canonical == "United States" && x.Type == EntityType.Location);
    }

    [Fact]
    public void Offsets_are_in_order_and_match_the_text()
    {
        const string text = "ISLAMABAD (AP) - Pakistan's army chief Asim Munir met U.S. officials in Washington, the military said.\n\n" +
                            "Munir also spoke with NATO's Mark Rutte.";
        var m = P.Tag(text);
        Assert.NotEmpty(m);
        for (int i = 0; i < m.Count; i++)
        {
            Assert.Equal(m[i].Text, text[m[i].Start..m[i].End]);
            if (i > 0) Assert.True(m[i].Start >= m[i - 1].End);
        }
    }

    [Fact]
    public void Tagging_is_thread_safe_and_repeatable()
    {
        var texts = Enumerable.Range(0, 40).Select(i => $"Sergei Lavrov met {i} officials of the Taliban in Kabul and Moscow.").ToArray();
        var sequential = texts.Select(t => P.Tag(t)).ToArray();
        var parallel = new IReadOnlyList<EntityMention>[texts.Length];
        Parallel.For(0, texts.Length, i => parallel[i] = P.Tag(texts[i]));
        for (int i = 0; i < texts.Length; i++) Assert.Equal(sequential[i], parallel[i]);
        Assert.Empty(P.Tag(""));
        Assert.Matches("^ner-1\\+[0-9a-f]{12}$", P.ModelVersion);
    }

    [Fact]
    public void Arbitrary_input_never_throws_and_offsets_stay_valid()
    {
        string[] pieces =
        [
            "Lavrov", "U.S.", "al-Assad", "O'Brien", "’s", "'s", "\r\n", "\n\n", "\t", " ", "  ", ".", "...", "-", "—", "“", "”", "\"",
            "(", ")", "[", "]", "$", "3.5", "1,250", "6-4", "http://x.org/a.", "a@b.co", "Mr.", "J.", "\u200B", "\uFEFF", "😀", "\uD83D",
            "KABUL", "Taliban", "the", "said", "Moscow", "UN", "IS", "Inc.", "é", "İstanbul", "ß", "\u0301", "@user", "#tag", "'", "’",
        ];
        var rng = new Random(7);
        for (int round = 0; round < 300; round++)
        {
            var sb = new System.Text.StringBuilder();
            int n = rng.Next(0, 60);
            for (int k = 0; k < n; k++) sb.Append(pieces[rng.Next(pieces.Length)]).Append(rng.Next(3) == 0 ? "" : " ");
            string text = sb.ToString();
            var m = P.Tag(text);
            for (int i = 0; i < m.Count; i++)
            {
                Assert.InRange(m[i].Start, 0, text.Length);
                Assert.InRange(m[i].End, m[i].Start + 1, text.Length);
                Assert.Equal(m[i].Text, text[m[i].Start..m[i].End]);
                if (i > 0) Assert.True(m[i].Start >= m[i - 1].End);
            }
        }
        var big = string.Concat(Enumerable.Repeat("Sergei Lavrov met Taliban envoys in Kabul on Monday. ", 3000));
        var many = P.Tag(big);
        Assert.True(many.Count >= 9000);
        Assert.All(many.Where(x => x.Text == "Lavrov"), x => Assert.Equal("Sergei Lavrov", x.Canonical));
    }

    [Theory]
    [InlineData("Xx ")]
    [InlineData("of Xx ")]
    [InlineData("Xx Yy, ")]
    public void Long_runs_of_capitalised_words_give_no_paragraph_long_entity(string piece)
    {
        // Hostile input (issue 10): ~100,000 characters of capitalised words with no sentence end. The run is no name,
        // and the bounded run and mention windows keep tagging it linear.
        var text = string.Concat(Enumerable.Repeat(piece, 100_000 / piece.Length));
        var mentions = P.Tag(text);
        Assert.All(mentions, m => Assert.True(NerPipeline.CountTokens(m.Text) <= 16, $"{m.Text.Length}-character entity"));
    }

    [Fact]
    public void Benchmark_reports_tokens()
    {
        var r = Training.NerBenchmark.Run(P, seconds: 0.2);
        Assert.True(r.Tokens > 0 && r.TokensPerSecond > 0);
    }
}
