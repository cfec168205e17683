using Aggregator.Core;
using Aggregator.Core.Feeds;
using Aggregator.Core.Ingestion;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Aggregator.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aggregator.Tests.Support;

/// <summary>
/// The real pipeline and stores on a fresh SQLite file in a temporary folder, or on the store that the given storage
/// settings name (the store contract tests run against each provider this way).
/// </summary>
public sealed class Pipeline : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    public string Directory { get; }
    public string DatabasePath => System.IO.Path.Combine(Directory, "aggregator.db");

    private Pipeline(ServiceProvider services, string directory)
    {
        _services = services;
        Directory = directory;
    }

    /// <param name="settings">Configuration on top of the defaults.</param>
    /// <param name="storage">The Storage:* settings (provider and its section) in place of the SQLite file in <see cref="Directory"/>.</param>
    /// <param name="services">Changes to the services once registered (e.g. a store decorated to stage a fault).</param>
    /// <param name="logs">Receives every log entry of the pipeline, of every level.</param>
    public static async Task<Pipeline> CreateAsync(Dictionary<string, string?>? settings = null, IReadOnlyDictionary<string, string?>? storage = null,
        TimeProvider? clock = null, Action<IServiceCollection>? services = null, CapturedLogs? logs = null)
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "aggregator-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var values = new Dictionary<string, string?>
        {
            ["Fetching:AllowedNetworks:0"] = "127.0.0.0/8", // the tests' own servers, on loopback only
            ["Fetching:Timeout"] = "00:00:05",
            ["Fetching:RetryDelay"] = "00:00:00.050",
            // Polling shows stories at once: the settle time is the store suite's to test.
            ["Storage:SettleTime"] = "00:00:00",
        };
        storage ??= new Dictionary<string, string?> { ["Storage:Sqlite:Path"] = System.IO.Path.Combine(directory, "aggregator.db") };
        foreach (var (key, value) in storage) values[key] = value;
        foreach (var (key, value) in settings ?? []) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var collection = new ServiceCollection();
        if (clock is not null) collection.AddSingleton(clock);
        collection
            .AddLogging(b => { if (logs is not null) b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace); })
            .AddAggregatorCore(configuration)
            .AddAggregatorStorage(configuration);
        services?.Invoke(collection);
        var provider = collection.BuildServiceProvider();
        await provider.GetRequiredService<IDatabaseMigrator>().MigrateAsync();
        return new Pipeline(provider, directory);
    }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();
    public IFeedStore Feeds => Get<IFeedStore>();
    public IStoryStore Stories => Get<IStoryStore>();
    public IEntityStore Entities => Get<IEntityStore>();
    public FeedPoller Poller => Get<FeedPoller>();

    public async Task<Feed> AddFeedAsync(string url, string? name = null) =>
        (await Feeds.AddAsync(new FeedDefinition(url, name ?? url), reviveDeleted: true)).Feed;

    public Task<IngestionReport> PollAsync(Feed feed) => Poller.PollAsync(feed.Id, force: true);

    public async Task<IReadOnlyList<StorySummary>> AllStoriesAsync() =>
        (await Stories.SearchAsync(new StoryQuery { Limit = StoryQuery.MaxLimit })).Items;

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
