using Aggregator.Cli.Commands;
using Aggregator.Core.Fetching;

namespace Aggregator.Cli;

internal static class Program
{
    private const string Usage = """
        usage: aggregator <command> [options]
          ingest <feed-url-or-file> [--db PATH] [--no-articles]   poll one feed now and store its stories
          extract <html-file-or-url> [--url ORIGINAL_URL]         extract an article's title and text
          demo [--db PATH]                                      serve sample feeds on loopback and ingest them: a first look offline
          tag                                                   JSON Lines {"id","text"} on stdin -> entities per line
          eval GOLD.jsonl [--sentences] [--model FILE]          precision, recall, F1 against gold entities (lines of one "doc" as one article)
          train [--corpus DIR] [--gazetteer FILE] [--out FILE]  rebuild the NER model from the corpus
          retag [--db PATH]                                     re-tag stories tagged by another model version
          bench ner                                             tokens/second of tokenize + tag
          bench extract DIR                                     ms per page of extraction over DIR/*/source.html
          bench ingest [--items N] [--feeds F] [--search-stories M] [--no-language]  ingestion stories/s and search latency
          bench parse                                           parse times of hostile documents next to an ordinary feed
          bench queries [--stories N] [--db PATH | --postgres CS] analysts' query latency on N generated stories
          bench nodes --postgres CS [--items N] [--feeds F] [--workers 1,2,3] [--jobs J]
                                                                stories/s of 1 SQLite process vs API + N workers on PostgreSQL
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        var rest = args.Skip(1);
        try
        {
            return args[0] switch
            {
                "ingest" => await IngestCommand.RunAsync(new CliArgs(rest, "no-articles"), Console.Out),
                "extract" => await ExtractCommand.RunAsync(new CliArgs(rest), Console.Out),
                "demo" => await DemoCommand.RunAsync(new CliArgs(rest), Console.Out),
                "tag" => TagStandardStreams(),
                "eval" => NlpCommands.Eval(new CliArgs(rest, "sentences"), Console.Out),
                "train" => NlpCommands.Train(args[1..], Console.Out),
                "retag" => await RetagCommand.RunAsync(new CliArgs(rest), Console.Out),
                "bench" when args.Length == 2 && args[1] == "ner" => NlpCommands.BenchNer(Console.Out),
                "bench" when args.Length >= 2 && args[1] == "extract" => await BenchExtractCommand.RunAsync(new CliArgs(args[2..]), Console.Out),
                "bench" when args.Length >= 2 && args[1] == "ingest" => await BenchIngestCommand.RunAsync(new CliArgs(args[2..], "no-language"), Console.Out),
                "bench" when args.Length == 2 && args[1] == "parse" => BenchParseCommand.Run(Console.Out),
                "bench" when args.Length >= 2 && args[1] == "queries" => await BenchQueriesCommand.RunAsync(new CliArgs(args[2..]), Console.Out),
                "bench" when args.Length >= 2 && args[1] == "nodes" => await BenchNodesCommand.RunAsync(new CliArgs(args[2..]), Console.Out),
                _ => Fail($"unknown command '{args[0]}'\n{Usage}"),
            };
        }
        catch (Exception e) when (e is ArgumentException or FetchException or IOException or Core.Extraction.MarkupLimitException)
        {
            return Fail(e.Message);
        }
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
