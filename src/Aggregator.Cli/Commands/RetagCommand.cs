using Aggregator.Core.Tagging;
using Aggregator.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Cli.Commands;

/// <summary>
/// aggregator retag [--db PATH] [--all]: re-tags every story not tagged by the current model (with --all, every story),
/// resolving its entities again as ingestion does, and records the model version.
/// </summary>
public static class RetagCommand
{
    public static async Task<int> RunAsync(CliArgs args, TextWriter stdout)
    {
        var overrides = new Dictionary<string, string?>();
        if (args.Option("db") is { } db) overrides["Storage:Sqlite:Path"] = db;
        using var host = CliHost.Build(overrides);
        await host.Services.GetRequiredService<IDatabaseMigrator>().MigrateAsync();
        var tagger = host.Services.GetRequiredService<StoryTagger>();
        var count = await host.Services.GetRequiredService<Retagger>().RetagAsync(args.Flag("all"),
            new Progress<int>(n => Console.Error.WriteLine($"retagged {n}")));
        await stdout.WriteLineAsync($$"""{"retagged": {{count}}, "model": "{{tagger.Version}}"}""");
        return 0;
    }
}
