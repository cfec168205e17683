using Aggregator.Api.Jobs;
using Aggregator.Api.Security;
using Aggregator.Core;
using Aggregator.Core.Feeds;
using Aggregator.Storage;
using Aggregator.Storage.Sqlite;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.Storage.SQLite;

namespace Aggregator.Api;

/// <summary>Configuration section "Jobs".</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";
    /// <summary>Runs the Hangfire server (polling) in this process.</summary>
    public bool RunServer { get; set; } = true;
    public int WorkerCount { get; set; } = 8;
}

public static class ApiServices
{
    public static IServiceCollection AddAggregatorApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAggregatorCore(configuration);
        services.AddAggregatorStorage(configuration);
        services.Configure<ApiOptions>(configuration.GetSection(ApiOptions.Section));
        services.AddProblemDetails();
        services.AddPerClientRateLimiting(configuration);
        services.Configure<Endpoints.StreamOptions>(configuration.GetSection(Endpoints.StreamOptions.Section));
        services.AddOpenApi();
        services.AddSingleton<IFeedScheduler, HangfireFeedScheduler>();
        services.AddTransient<FeedPollJob>();

        var jobs = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        // The storage is a DI singleton rather than Hangfire's global JobStorage.Current, so that every component of
        // this app (server, managers, dashboard) uses this app's own storage.
        services.AddSingleton<JobStorage>(sp => new SQLiteStorage(HangfireDatabasePath(sp.GetRequiredService<SqliteDatabase>()),
            // Hangfire.Storage.SQLite: a maintained, MIT-licensed SQLite storage that needs no server (see README).
            new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(1) }));
        services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        if (jobs.RunServer)
            services.AddHangfireServer(o => o.WorkerCount = jobs.WorkerCount);
        return services;
    }

    /// <summary>Hangfire keeps its own file beside the stories database, so job bookkeeping never contends with ingestion writes.</summary>
    private static string HangfireDatabasePath(SqliteDatabase database) =>
        Path.Combine(Path.GetDirectoryName(database.Path)!, Path.GetFileNameWithoutExtension(database.Path) + ".hangfire.db");

    /// <summary>Migrates the database and loads the seed feeds before the first request.</summary>
    public static async Task PrepareAsync(this WebApplication app)
    {
        await app.Services.GetRequiredService<IDatabaseMigrator>().MigrateAsync();
        var seedFile = app.Configuration["Feeds:SeedFile"] ?? "feeds.json";
        var service = app.Services.GetRequiredService<FeedService>();
        var log = app.Services.GetRequiredService<ILogger<FeedService>>();
        if (string.IsNullOrWhiteSpace(seedFile))
        {
            await service.SeedAsync([]);
            return;
        }
        if (!File.Exists(seedFile))
        {
            log.LogWarning("Feed seed file {SeedFile} not found; starting with the feeds already stored.", Path.GetFullPath(seedFile));
            await service.SeedAsync([]);
            return;
        }
        await using var stream = File.OpenRead(seedFile);
        var added = await service.SeedAsync(FeedSeedFile.Read(stream));
        log.LogInformation("Seed file {SeedFile}: {Added} feeds added.", seedFile, added);
    }

    /// <summary>The Hangfire dashboard at /hangfire: local callers, or anyone presenting the API key.</summary>
    public static void MapJobsDashboard(this WebApplication app)
    {
        var key = app.Configuration[$"{ApiOptions.Section}:Key"];
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new DashboardAuthorization(key)],
            DisplayStorageConnectionString = false,
        });
    }

    private sealed class DashboardAuthorization(string? key) : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) =>
            OperatorAuthFilter.IsAllowed(context.GetHttpContext(), key);
    }
}
