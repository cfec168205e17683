using Aggregator.Cli.Demo;
using Aggregator.Core.Ingestion;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Aggregator.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Cli.Commands;

/// <summary>
/// aggregator demo [--db PATH]: a first result without the internet. Serves the sample feeds and article pages of
/// <see cref="DemoContent"/> on loopback, polls them through the service's own pipeline (fetch, parse, extract, tag,
/// store) into the service's database, and leaves the demo feeds paused, since their server ends with the command.
/// </summary>
public static class DemoCommand
{
    public const string Tag = "demo";

    public static async Task<int> RunAsync(CliArgs args, TextWriter stdout)
    {
        if (args.Positional.Count != 0) throw new ArgumentException("usage: aggregator demo [--db PATH]");
        var settings = new Dictionary<string, string?>
        {
            // The demo site is the only private address this command may reach: the loopback address it listens on.
            ["Fetching:AllowedNetworks:0"] = "127.0.0.1/32",
        };
        if (args.Option("db") is { } db) settings["Storage:Sqlite:Path"] = db;
        using var host = CliHost.Build(settings);
        var services = host.Services;
        await services.GetRequiredService<IDatabaseMigrator>().MigrateAsync();
        var feeds = services.GetRequiredService<IFeedStore>();
        var poller = services.GetRequiredService<FeedPoller>();
        await using var site = await LoopbackServer.StartAsync(app => DemoSite.Map(app, TimeProvider.System));

        // A run before this one served the same feeds on another port: those feeds go (their stories stay, and are
        // the stories this run finds again).
        foreach (var earlier in (await feeds.ListAsync()).Where(IsDemoFeed))
            await feeds.DeleteAsync(earlier.Id);

        var failed = false;
        foreach (var demo in DemoContent.Feeds)
        {
            var (feed, _) = await feeds.AddAsync(new FeedDefinition(site.BaseUrl() + demo.Path, demo.Title, Tags: [Tag]), reviveDeleted: true);
            var report = await poller.PollAsync(feed.Id, force: true);
            await feeds.UpdateAsync(feed.Id, new FeedPatch(Name: null, IntervalMinutes: null, Enabled: false));
            failed |= report.Outcome == PollOutcome.Failed;
            await stdout.WriteLineAsync($"{demo.Title} ({report.Format}): {report.Items} items, {report.Stored} stored, {report.Duplicates} already stored" +
                                        string.Concat(report.Errors.Select(e => $"\n  {e}")));
        }
        var stats = await services.GetRequiredService<IStoryStore>().StatsAsync(DateTimeOffset.UtcNow);
        await stdout.WriteLineAsync($"""
            The database now holds {stats.Stories} stories and {stats.Entities} entities.
            See them in the dashboard: dotnet run --project src/Aggregator.Api, then open http://localhost:5145
            (with the same database: the service's default, or Storage:Sqlite:Path / --db). The demo feeds are paused,
            since their server stops with this command; run it again at any time.
            """);
        return failed ? 1 : 0;
    }

    /// <summary>A feed an earlier demo added: tagged demo, on the loopback address the demo serves from.</summary>
    public static bool IsDemoFeed(Feed feed) =>
        feed.Tags.Contains(Tag) && Uri.TryCreate(feed.Url, UriKind.Absolute, out var url) && url.Host == "127.0.0.1";
}
