using System.Text.Json;
using Aggregator.Cli;
using Aggregator.Cli.Commands;

namespace Aggregator.Nlp.Tests;

/// <summary>The exact I/O contracts of `aggregator tag`, `eval`, `train` and `bench ner`.</summary>
public class CliTests
{
    [Fact]
    public void Tag_echoes_ids_as_they_came_and_writes_one_line_per_input()
    {
        var input = string.Join("\n",
            """{"id": "a-1", "text": "Russian Foreign Minister Sergei Lavrov said in Moscow that the Taliban had been invited.", "source": "x"}""",
            "",
            """{"text": "Nothing here.", "id": 17}""",
            """{"id": 2.5e1, "text": ""}""");
        var output = new StringWriter();
        Assert.Equal(0, NlpCommands.Tag(new StringReader(input), output));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal(
            """{"id":"a-1","entities":[{"start":25,"end":38,"type":"PERSON","text":"Sergei Lavrov"},{"start":47,"end":53,"type":"LOCATION","text":"Moscow"},{"start":63,"end":70,"type":"ORGANIZATION","text":"Taliban"}]}""",
            lines[0]);
        Assert.Equal("""{"id":17,"entities":[]}""", lines[1]);
        Assert.Equal("""{"id":2.5e1,"entities":[]}""", lines[2]);
    }

    [Fact]
    public void Tag_echoes_the_id_on_an_error_line_as_far_as_the_line_can_be_read()
    {
        var input = string.Join("\n",
            """{"id": "doc-7", "text": 42}""",
            """{"id": 9, "text": "broken """,
            """{"text": "no id", "id": }""");
        var output = new StringWriter();
        Assert.Equal(1, NlpCommands.Tag(new StringReader(input), output));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("""{"id":"doc-7","entities":[],"error":""", lines[0]);
        Assert.StartsWith("""{"id":9,"entities":[],"error":""", lines[1]);
        Assert.StartsWith("""{"id":null,"entities":[],"error":""", lines[2]);
    }

    [Fact]
    public void Tag_reports_unreadable_lines_in_place_and_keeps_going()
    {
        var output = new StringWriter();
        Assert.Equal(1, NlpCommands.Tag(new StringReader("not json\n{\"id\": 1, \"text\": \"Kabul\"}\n"), output));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using (var bad = JsonDocument.Parse(lines[0])) Assert.True(bad.RootElement.TryGetProperty("error", out _));
        using var good = JsonDocument.Parse(lines[1]);
        Assert.Equal(1, good.RootElement.GetProperty("id").GetInt32());
        Assert.Equal("LOCATION", good.RootElement.GetProperty("entities")[0].GetProperty("type").GetString());
    }

    [Fact]
    public void Eval_prints_scores_per_type_and_micro_f1_last()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gold-{Guid.NewGuid():N}.jsonl");
        try
        {
            File.WriteAllText(path,
                """{"id": 1, "text": "Sergei Lavrov met the Taliban in Moscow.", "entities": [{"start": 0, "end": 13, "type": "PERSON", "text": "Sergei Lavrov"}, {"start": 22, "end": 29, "type": "ORGANIZATION"}, {"start": 33, "end": 39, "type": "LOCATION"}]}""" + "\n");
            var output = new StringWriter();
            Assert.Equal(0, NlpCommands.Eval(new CliArgs([path, "--sentences"], "sentences"), output));
            var lines = output.ToString().TrimEnd().Split('\n');
            Assert.Contains(lines, l => l.StartsWith("PERSON", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("LOCATION", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("ORGANIZATION", StringComparison.Ordinal));
            Assert.Equal("micro_f1=1.000", lines[^1]);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Equal(2, NlpCommands.Eval(new CliArgs(["/nonexistent/gold.jsonl"], "sentences"), new StringWriter()));
        Assert.Equal(2, NlpCommands.Eval(new CliArgs([path, "--model", "/nonexistent/ner.model"], "sentences"), new StringWriter()));
    }

    [Fact]
    public void Train_rejects_unknown_options_and_missing_inputs()
    {
        Assert.Equal(2, NlpCommands.Train(["--bogus"], new StringWriter()));
        Assert.Equal(2, NlpCommands.Train(["--corpus"], new StringWriter()));
        Assert.Equal(2, NlpCommands.Train(["--corpus", "/nonexistent"], new StringWriter()));
    }

    [Fact]
    public void Bench_prints_tokens_per_second()
    {
        var output = new StringWriter();
        Assert.Equal(0, NlpCommands.BenchNer(output));
        Assert.Matches(@"tokens_per_second=\d+", output.ToString());
    }
}
