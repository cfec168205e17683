using Aggregator.Cli.Commands;
using Aggregator.Core.Fetching;

namespace Aggregator.Cli;

internal static class Program
{
    private sealed record Command(string Name, string Synopsis, string Description);

    private static readonly Command[] Commands =
    [
        new("ingest", "ingest <feed-url-or-file> [--db PATH] [--no-articles]", "poll one feed now and store its stories"),
        new("extract", "extract <html-file-or-url> [--url ORIGINAL_URL]", "extract an article's title and text"),
        new("demo", "demo [--db PATH]", "serve sample feeds on loopback and ingest them: a first look offline"),
        new("tag", "tag", "JSON Lines {\"id\",\"text\"} on stdin -> entities per line"),
        new("eval", "eval GOLD.jsonl [--sentences] [--model FILE]", "precision, recall, F1 against gold entities (lines of one \"doc\" as one article)"),
        new("train", "train [--corpus DIR] [--gazetteer FILE] [--out FILE]", "rebuild the NER model from the corpus"),
        new("retag", "retag [--db PATH] [--all]", "re-tag (and resolve again) stories tagged by another model, or all"),
        new("bench ner", "bench ner", "tokens/second of tokenize + tag"),
        new("bench extract", "bench extract DIR", "ms per page of extraction over DIR/*/source.html"),
        new("bench ingest", "bench ingest [--items N] [--feeds F] [--rounds R] [--search-stories M] [--no-language]", "ingestion stories/s (resolution off, on) and search latency"),
        new("bench parse", "bench parse", "parse times of hostile documents next to an ordinary feed"),
        new("bench queries", "bench queries [--stories N] [--db PATH | --postgres CS]", "analysts' query latency on N generated stories"),
        new("bench entities", "bench entities [--stories N] [--seed S]", "entities per real-world entity and wrong joins, resolution off and on"),
        new("bench nodes", "bench nodes --postgres CS [--items N] [--feeds F] [--workers 1,2,3] [--jobs J]", "stories/s of 1 SQLite process vs API + N workers on PostgreSQL"),
    ];

    private static readonly string[] HelpFlags = ["--help", "-h"];

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine(Usage(Commands));
            return 2;
        }
        if (HelpFlags.Contains(args[0]) || args[0] == "help") return Help(args.Skip(1).Where(a => !HelpFlags.Contains(a)).ToArray());
        if (args.Any(HelpFlags.Contains)) return Help(args.Where(a => !HelpFlags.Contains(a)).ToArray());
        var rest = args.Skip(1);
        try
        {
            return args[0] switch
            {
                "ingest" => await IngestCommand.RunAsync(new CliArgs(rest, "no-articles"), Console.Out, Console.Error),
                "extract" => await ExtractCommand.RunAsync(new CliArgs(rest), Console.Out),
                "demo" => await DemoCommand.RunAsync(new CliArgs(rest), Console.Out),
                "tag" => TagStandardStreams(),
                "eval" => NlpCommands.Eval(new CliArgs(rest, "sentences"), Console.Out),
                "train" => NlpCommands.Train(args[1..], Console.Out),
                "retag" => await RetagCommand.RunAsync(new CliArgs(rest, "all"), Console.Out),
                "bench" when args.Length == 2 && args[1] == "ner" => NlpCommands.BenchNer(Console.Out),
                "bench" when args.Length >= 2 && args[1] == "extract" => await BenchExtractCommand.RunAsync(new CliArgs(args[2..]), Console.Out),
                "bench" when args.Length >= 2 && args[1] == "ingest" => await BenchIngestCommand.RunAsync(new CliArgs(args[2..], "no-language"), Console.Out),
                "bench" when args.Length == 2 && args[1] == "parse" => BenchParseCommand.Run(Console.Out),
                "bench" when args.Length >= 2 && args[1] == "queries" => await BenchQueriesCommand.RunAsync(new CliArgs(args[2..]), Console.Out),
                "bench" when args.Length >= 2 && args[1] == "entities" => await BenchEntitiesCommand.RunAsync(new CliArgs(args[2..]), Console.Out),
                "bench" when args.Length >= 2 && args[1] == "nodes" => await BenchNodesCommand.RunAsync(new CliArgs(args[2..]), Console.Out),
                _ => Fail($"unknown command '{string.Join(' ', args.Take(2))}' (aggregator --help lists the commands)"),
            };
        }
        catch (Exception e) when (e is ArgumentException or FetchException or IOException or Core.Extraction.MarkupLimitException)
        {
            return Fail(e.Message);
        }
    }

    /// <summary>aggregator --help, aggregator help [command], aggregator command --help: usage on stdout, exit 0.</summary>
    private static int Help(string[] command)
    {
        var words = string.Join(' ', command);
        var matching = Commands.Where(c => words.Length == 0 || c.Name == words || c.Name.StartsWith(words + " ", StringComparison.Ordinal)
                                                         || words.StartsWith(c.Name + " ", StringComparison.Ordinal)).ToArray();
        if (matching.Length == 0) return Fail($"unknown command '{words}' (aggregator --help lists the commands)");
        Console.Out.WriteLine(Usage(matching));
        return 0;
    }

    private static string Usage(IEnumerable<Command> commands)
    {
        const int column = 54;
        var lines = commands.Select(c => c.Synopsis.Length <= column
            ? $"  {c.Synopsis.PadRight(column)}  {c.Description}"
            : $"  {c.Synopsis}\n  {"".PadRight(column)}  {c.Description}");
        return "usage: aggregator <command> [options]   (aggregator <command> --help for one)\n" + string.Join('\n', lines);
    }

    /// <summary>tag over buffered standard streams: one write per buffer, not per line (the console writer flushes each).</summary>
    private static int TagStandardStreams()
    {
        using var stdin = new StreamReader(Console.OpenStandardInput(), System.Text.Encoding.UTF8, false, 1 << 16);
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16);
        return NlpCommands.Tag(stdin, stdout);
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"aggregator: {message}");
        return 2;
    }
}
