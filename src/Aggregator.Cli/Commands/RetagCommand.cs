using Aggregator.Core.Tagging;
using Aggregator.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Cli.Commands;

/// <summary>aggregator retag [--db PATH]: re-tags every story not tagged by the current model, recording its version.</summary>
public static class RetagCommand
{
    public static async Task<int> RunAsync(CliArgs args, TextWriter stdout)
    {
        var overrides = new Dictionary<string, string?>();
        if (args.Option("db") is { } db) overrides["Storage:Sqlite:Path"] = db;
        using var host = CliHost.Build(overrides);
        await host.Services.GetRequiredService<IDatabaseMigrator>().MigrateAsync();
        var tagger = host.Services.GetRequiredService<StoryTagger>();
        var count = await host.Services.GetRequiredService<Retagger>().RetagAsync(
            new Progress<int>(n => Console.Error.WriteLine($"retagged {n}")));
        await stdout.WriteLineAsync($$"""{"retagged": {{count}}, "model": "{{tagger.Version}}"}""");
        return 0;
    }
}
