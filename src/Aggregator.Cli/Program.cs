using Aggregator.Cli.Commands;
using Aggregator.Core.Fetching;

namespace Aggregator.Cli;

internal static class Program
{
    private const string Usage = """
        usage: aggregator <command> [options]
          ingest <feed-url-or-file> [--db PATH] [--no-articles]   poll one feed now and store its stories
          extract <html-file-or-url> [--url ORIGINAL_URL]         extract an article's title and text
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
                _ => Fail($"unknown command '{args[0]}'\n{Usage}"),
            };
        }
        catch (Exception e) when (e is ArgumentException or FetchException or IOException)
        {
            return Fail(e.Message);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"aggregator: {message}");
        return 2;
    }
}
