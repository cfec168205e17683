using Aggregator.Nlp.Tagging;
using Aggregator.Nlp.Training;

namespace Aggregator.Nlp.Tests;

public class BilouAndCorpusTests
{
    [Fact]
    public void Encode_and_decode_round_trip()
    {
        var spans = new[]
        {
            new TokenSpan(0, 0, EntityType.Location),
            new TokenSpan(2, 3, EntityType.Person),
            new TokenSpan(5, 7, EntityType.Organization),
        };
        var tags = new byte[9];
        Bilou.Encode(spans, tags);
        Assert.Equal(["U-LOC", "O", "B-PER", "L-PER", "O", "B-ORG", "I-ORG", "L-ORG", "O"], tags.Select(Bilou.Name));
        Assert.Equal(spans, Bilou.Decode(tags));
    }

    [Fact]
    public void Transitions_follow_bilou()
    {
        byte bPer = Bilou.Tag(EntityType.Person, Bilou.B), iPer = Bilou.Tag(EntityType.Person, Bilou.I);
        byte lPer = Bilou.Tag(EntityType.Person, Bilou.L), uLoc = Bilou.Tag(EntityType.Location, Bilou.U);
        byte lLoc = Bilou.Tag(EntityType.Location, Bilou.L);
        Assert.True(Bilou.IsValid(Bilou.Start, bPer));
        Assert.False(Bilou.IsValid(Bilou.Start, iPer));
        Assert.True(Bilou.IsValid(bPer, iPer));
        Assert.True(Bilou.IsValid(iPer, lPer));
        Assert.False(Bilou.IsValid(bPer, Bilou.O));
        Assert.False(Bilou.IsValid(bPer, lLoc));
        Assert.True(Bilou.IsValid(lPer, uLoc));
        Assert.False(Bilou.CanEnd(bPer));
        Assert.Equal(13, Bilou.NumTags);
    }

    [Fact]
    public void Markup_is_parsed_into_text_and_character_spans()
    {
        Assert.True(CorpusLoader.TryParse("[LOC KABUL] ([ORG Reuters]) - Foreign Minister [PER Sergei Lavrov] said.", out var text, out var spans, out _));
        Assert.Equal("KABUL (Reuters) - Foreign Minister Sergei Lavrov said.", text);
        Assert.Equal([new GoldSpan(0, 5, EntityType.Location), new GoldSpan(7, 14, EntityType.Organization), new GoldSpan(35, 48, EntityType.Person)], spans);
    }

    [Theory]
    [InlineData("[PER Lavrov said", "unclosed")]
    [InlineData("Lavrov] said", "unbalanced")]
    [InlineData("[PER [LOC Moscow]]", "nested")]
    [InlineData("[GPE Moscow] said", "unknown label")]
    [InlineData("[PER  ] said", "empty")]
    public void Malformed_markup_is_rejected(string markup, string reason)
    {
        Assert.False(CorpusLoader.TryParse(markup, out _, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Spans_map_to_bilou_over_tokens_and_misaligned_spans_are_reported()
    {
        Assert.True(CorpusLoader.TryParse("The [ORG Taliban]'s envoy met [PER Sergei Lavrov] in [LOC Moscow].", out var text, out var spans, out _));
        var doc = new GoldDocument("d", text, spans);
        var aligned = NerTrainer.Align(doc, null)!;
        Assert.Equal([new TokenSpan(1, 1, EntityType.Organization), new TokenSpan(5, 6, EntityType.Person), new TokenSpan(8, 8, EntityType.Location)], aligned);

        var bad = new GoldDocument("b", "Moscowbased group", [new GoldSpan(0, 6, EntityType.Location)]);
        var warnings = new List<string>();
        Assert.Null(NerTrainer.Align(bad, warnings));
        Assert.Single(warnings);
    }

    [Fact]
    public void Article_files_give_one_document_per_article_with_paragraphs_kept()
    {
        var dir = Directory.CreateTempSubdirectory("corpus-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "lines.txt"), "# comment\n[PER Ana Lima] spoke.\n\n[LOC Quito] is high.\n");
            Directory.CreateDirectory(Path.Combine(dir, CorpusLoader.ArticlesFolder));
            File.WriteAllText(Path.Combine(dir, CorpusLoader.ArticlesFolder, "a.txt"),
                "# part 1\n[ORG Acme] Wins\n\n\n[LOC LIMA] - [PER Rui Sato] said.\nMore of it.\n---\n[PER Sato] again.\n---\n\n");
            var result = CorpusLoader.LoadFolder(dir);
            Assert.Equal(2, result.FileCount);
            Assert.Empty(result.Warnings);
            Assert.Equal([false, false, true, true], result.Lines.Select(l => l.IsArticle));
            var first = result.Lines[2].Document;
            Assert.Equal("Acme Wins\n\nLIMA - Rui Sato said.\nMore of it.", first.Text);
            Assert.Equal(["Acme", "LIMA", "Rui Sato"], first.Spans.Select(s => first.Text[s.Start..s.End]));
            Assert.Equal("articles/a.txt", result.Lines[2].File);
            Assert.Equal(2, result.Lines[2].LineNumber);
            Assert.Equal("Sato again.", result.Lines[3].Document.Text);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Gold_lines_of_one_doc_join_into_one_article_with_shifted_spans()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path,
            [
                """{"id": "a", "doc": 1, "text": "KABUL 2025-01-02", "entities": [{"start": 0, "end": 5, "type": "LOCATION"}]}""",
                """{"id": "b", "doc": 1, "text": "Lavrov spoke.", "entities": [{"start": 0, "end": 6, "type": "PERSON"}]}""",
                """{"id": "c", "doc": 2, "text": "Hi Moscow", "entities": [{"start": 3, "end": 9, "type": "LOCATION"}]}""",
                """{"id": "d", "text": "No doc", "entities": []}""",
            ]);
            Assert.Equal(4, CorpusLoader.LoadJsonl(path).Count);
            var docs = CorpusLoader.LoadJsonl(path, joinDocuments: true);
            Assert.Equal(3, docs.Count);
            Assert.Equal("KABUL 2025-01-02\nLavrov spoke.", docs[0].Text);
            Assert.Equal(["KABUL", "Lavrov"], docs[0].Spans.Select(s => docs[0].Text[s.Start..s.End]));
            Assert.Equal("Moscow", docs[1].Text[docs[1].Spans[0].Start..docs[1].Spans[0].End]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Split_is_deterministic_and_about_fifteen_percent()
    {
        var lines = Enumerable.Range(0, 4000).Select(i => $"Line number {i} about [LOC Kabul].").ToList();
        double share = lines.Count(CorpusLoader.IsHeldOut) / (double)lines.Count;
        Assert.InRange(share, 0.12, 0.18);
        Assert.Equal(lines.Select(CorpusLoader.IsHeldOut), lines.Select(CorpusLoader.IsHeldOut));
    }

    [Fact]
    public void Entity_types_have_wire_names()
    {
        Assert.Equal("PERSON", EntityTypes.ToWire(EntityType.Person));
        Assert.Equal("LOCATION", EntityTypes.ToWire(EntityType.Location));
        Assert.Equal("ORGANIZATION", EntityTypes.ToWire(EntityType.Organization));
        foreach (var s in new[] { "PERSON", "per", "Person" }) { Assert.True(EntityTypes.TryParse(s, out var t)); Assert.Equal(EntityType.Person, t); }
        foreach (var s in new[] { "LOCATION", "loc" }) { Assert.True(EntityTypes.TryParse(s, out var t)); Assert.Equal(EntityType.Location, t); }
        foreach (var s in new[] { "ORGANIZATION", "Org" }) { Assert.True(EntityTypes.TryParse(s, out var t)); Assert.Equal(EntityType.Organization, t); }
        Assert.False(EntityTypes.TryParse("MISC", out _));
    }

    [Fact]
    public void Evaluator_scores_exact_span_and_type()
    {
        var gold = new GoldDocument("d", "Sergei Lavrov in Moscow", [new GoldSpan(0, 13, EntityType.Person), new GoldSpan(17, 23, EntityType.Location)]);
        var predicted = new List<GoldSpan> { new(7, 13, EntityType.Person), new(17, 23, EntityType.Location) };
        var report = NerEvaluator.Score([(gold, predicted)]);
        Assert.Equal(new Counts(1, 1, 1), report.Micro);
        Assert.Equal(new Counts(0, 1, 1), report.PerType[EntityType.Person]);
        Assert.EndsWith("micro_f1=0.500", report.ToText());
    }
}
