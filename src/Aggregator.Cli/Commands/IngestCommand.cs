using Aggregator.Core.Feeds;
using Aggregator.Core.Ingestion;
using Aggregator.Core.Model;
using Aggregator.Core.Parsing;
using Aggregator.Core.Stores;
using Aggregator.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Cli.Commands;

/// <summary>
/// aggregator ingest &lt;feed-url-or-file&gt; [--db PATH] [--no-articles]: one poll, synchronously, reported as JSON.
/// Stories belong to a feed, so the feed is stored; what it leaves behind is said: a file's feed is paused (only this
/// command reads files), a URL's new feed is removed again when its poll failed (no resting feed left behind) and,
/// when it worked, stays subscribed, which stderr says.
/// </summary>
public static class IngestCommand
{
    public static async Task<int> RunAsync(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Positional.Count != 1) throw new ArgumentException("usage: aggregator ingest <feed-url-or-file> [--db PATH] [--no-articles]");
        var source = args.Positional[0];
        var overrides = new Dictionary<string, string?>();
        if (args.Option("db") is { } db) overrides["Storage:Sqlite:Path"] = db;
        if (args.Flag("no-articles")) overrides["Ingestion:FetchArticles"] = "false";
        using var host = CliHost.Build(overrides);
        var services = host.Services;
        await services.GetRequiredService<IDatabaseMigrator>().MigrateAsync();
        var feeds = services.GetRequiredService<IFeedStore>();
        var poller = services.GetRequiredService<FeedPoller>();

        IngestionReport report;
        long? keptFeedId;
        if (File.Exists(source))
        {
            var path = Path.GetFullPath(source);
            var (feed, _) = await feeds.AddAsync(new FeedDefinition(new Uri(path).AbsoluteUri, Path.GetFileName(path)), reviveDeleted: true);
            await feeds.UpdateAsync(feed.Id, new FeedPatch(Name: null, IntervalMinutes: null, Enabled: false));
            keptFeedId = feed.Id;
            try
            {
                var parsed = FeedParser.Parse(await File.ReadAllBytesAsync(path), charset: null, baseUrl: null);
                report = await poller.IngestAsync(feed, parsed, !args.Flag("no-articles"));
            }
            catch (FeedParseException e)
            {
                report = new IngestionReport { Feed = feed.Url, Errors = [e.Message], Outcome = PollOutcome.Failed };
            }
        }
        else
        {
            if (!FeedUrl.TryNormalize(source, out var url, out var error))
                throw new ArgumentException($"{error} (nor is it an existing file)");
            var (feed, created) = await feeds.AddAsync(new FeedDefinition(url, null), reviveDeleted: true);
            report = await poller.PollAsync(feed.Id, force: true);
            keptFeedId = feed.Id;
            if (created && report.Outcome == PollOutcome.Failed)
            {
                await feeds.DeleteAsync(feed.Id);
                keptFeedId = null;
            }
            else if (created)
            {
                await stderr.WriteLineAsync($"aggregator: {url} is now feed {feed.Id}, which the service polls from now on " +
                                            $"(DELETE /api/feeds/{feed.Id} to stop).");
            }
        }
        await stdout.WriteLineAsync(CliJson.Serialize(new
        {
            feed = report.Feed,
            feedId = keptFeedId,
            format = report.Format,
            items = report.Items,
            stored = report.Stored,
            duplicates = report.Duplicates,
            deferred = report.Deferred,
            skipped = report.Skipped.Select(s => new { item = s.Item, reason = s.Reason }),
            errors = report.Errors,
        }));
        return report.Outcome == PollOutcome.Failed ? 1 : 0;
    }
}
