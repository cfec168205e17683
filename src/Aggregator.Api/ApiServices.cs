using Aggregator.Api.Jobs;
using Aggregator.Api.Security;
using Aggregator.Core;
using Aggregator.Core.Feeds;
using Aggregator.Core.Fetching;
using Aggregator.Core.Model;
using Aggregator.Storage;
using Aggregator.Storage.Sqlite;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Options;

namespace Aggregator.Api;

/// <summary>Configuration section "Jobs".</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";
    /// <summary>Runs the Hangfire server (polling) in this process.</summary>
    public bool RunServer { get; set; } = true;
    public int WorkerCount { get; set; } = 8;

    public static JobsOptions From(IConfiguration configuration) => configuration.GetSection(Section).Get<JobsOptions>() ?? new JobsOptions();

    /// <summary>Whether this process polls: the server is on and the role runs jobs.</summary>
    public bool RunsServer(NodeRole role) => RunServer && role.RunsJobs();
}

public static class ApiServices
{
    public static IServiceCollection AddAggregatorApi(this IServiceCollection services, IConfiguration configuration, NodeRole role)
    {
        services.AddAggregatorCore(configuration);
        services.AddAggregatorStorage(configuration);
        services.Configure<ApiOptions>(configuration.GetSection(ApiOptions.Section));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            if (!StorageErrors.IsFull(context.Exception)) return;
            context.ProblemDetails.Title = Endpoints.Problems.StorageFullTitle;
            context.ProblemDetails.Detail = Endpoints.Problems.StorageFullDetail;
            context.HttpContext.Response.Headers.RetryAfter = "60";
        });
        services.AddPerClientRateLimiting(configuration);
        services.Configure<Endpoints.StreamOptions>(configuration.GetSection(Endpoints.StreamOptions.Section));
        services.AddSingleton<Endpoints.StreamSlots>();
        services.AddOpenApi(Endpoints.ApiDocs.Configure);
        services.AddSingleton<IFeedScheduler, HangfireFeedScheduler>();
        services.AddTransient<FeedPollJob>();
        services.AddTransient<FeedScheduleJob>();

        var jobs = JobsOptions.From(configuration);
        // The storage is a DI singleton rather than Hangfire's global JobStorage.Current, so that every component of
        // this app (server, managers, dashboard) uses this app's own storage.
        services.AddSingleton<JobStorage>(sp => sp.GetRequiredService<StorageOptions>() is { IsPostgres: true } storage
            // On PostgreSQL, Hangfire's queues and locks are the coordination between nodes (its own schema).
            ? PostgresJobStorage(storage.Postgres.ConnectionString!)
            // Hangfire.Storage.SQLite: a maintained, MIT-licensed SQLite storage that needs no server (see README).
            : new SQLiteStorage(HangfireDatabasePath(sp.GetRequiredService<SqliteDatabase>()),
                new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(1) }));
        // Hangfire's log provider and job activator are process-wide; each host keeps its own (see HangfireLogging), so a
        // second host in the process (tests) never logs to, or activates jobs from, a disposed one.
        services.AddSingleton(sp => HangfireLogging.Instance.Attach(sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) =>
        {
            sp.GetRequiredService<HangfireLogging.Attachment>();
            config.UseLogProvider(HangfireLogging.Instance)
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
        });
        if (jobs.RunsServer(role))
            services.AddHangfireServer(o => o.WorkerCount = jobs.WorkerCount);
        return services;
    }

    private static PostgreSqlStorage PostgresJobStorage(string connectionString)
    {
        var options = new PostgreSqlStorageOptions { SchemaName = "hangfire", QueuePollInterval = TimeSpan.FromSeconds(1), PrepareSchemaIfNecessary = true };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }

    /// <summary>Hangfire keeps its own file beside the stories database, so job bookkeeping never contends with ingestion writes.</summary>
    private static string HangfireDatabasePath(SqliteDatabase database) =>
        Path.Combine(Path.GetDirectoryName(database.Path)!, Path.GetFileNameWithoutExtension(database.Path) + ".hangfire.db");

    /// <summary>
    /// Migrates the database, takes over the leases of processes that are gone, on nodes that poll polls the failing
    /// feeds again when the fetching settings changed, and on nodes that serve the API loads the seed feeds. When the
    /// store or the job storage cannot be written (a full disk), the service starts all the same and tries the feeds
    /// part again every Feeds:PrepareRetryInterval until it succeeds.
    /// </summary>
    public static async Task PrepareAsync(this WebApplication app, NodeRole role)
    {
        await app.Services.GetRequiredService<IDatabaseMigrator>().MigrateAsync();
        var log = app.Services.GetRequiredService<ILogger<FeedService>>();
        var seeds = role.ServesApi() ? ReadSeedFile(app.Configuration, log) : null; // a bad seed file stops start-up
        var polls = JobsOptions.From(app.Configuration).RunsServer(role);
        var retry = app.Configuration.GetValue("Feeds:PrepareRetryInterval", TimeSpan.FromSeconds(30));
        try
        {
            await PrepareFeedsAsync(app.Services, seeds, polls, log);
        }
        catch (Exception e)
        {
            log.LogError("Feeds could not be loaded or scheduled ({Error}); the service starts, and tries again every {Retry}.", e.Message, retry);
            _ = RetryPrepareFeedsAsync(app.Services, seeds, polls, log, retry, app.Lifetime.ApplicationStopping);
        }
    }

    private static async Task RetryPrepareFeedsAsync(IServiceProvider services, IReadOnlyList<FeedDefinition>? seeds, bool polls, ILogger log, TimeSpan retry, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(retry, stopping);
                await PrepareFeedsAsync(services, seeds, polls, log);
                log.LogInformation("Feeds loaded and scheduled.");
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                log.LogError("Feeds could not be loaded or scheduled yet ({Error}); trying again in {Retry}.", e.Message, retry);
            }
        }
    }

    /// <param name="seeds">Null on nodes that do not serve the API: they only take over leases.</param>
    /// <param name="polls">Whether this node runs the Hangfire server, so polls the failing feeds again after a settings change.</param>
    private static async Task PrepareFeedsAsync(IServiceProvider services, IReadOnlyList<FeedDefinition>? seeds, bool polls, ILogger log)
    {
        var service = services.GetRequiredService<FeedService>();
        if (await service.TakeOverLeasesOfGoneProcessesAsync() is { Count: > 0 } taken)
            log.LogWarning("Feeds {FeedIds} were being polled by a process of this machine that is gone; polling them again.", taken);
        if (polls && await FetchingSettingsWatch.PollFailingFeedsIfChangedAsync(services.GetRequiredService<JobStorage>(),
                services.GetRequiredService<IOptions<FetchingOptions>>().Value, service) is > 0 and var woken)
            log.LogInformation("The fetching settings changed since the last start: {Feeds} failing feeds are polled again now.", woken);
        if (seeds is null) return;
        var added = await service.SeedAsync(seeds);
        if (added > 0) log.LogInformation("Seed file: {Added} feeds added.", added);
    }

    private static IReadOnlyList<FeedDefinition> ReadSeedFile(IConfiguration configuration, ILogger log)
    {
        var seedFile = configuration["Feeds:SeedFile"] ?? "feeds.json";
        if (string.IsNullOrWhiteSpace(seedFile)) return [];
        if (!File.Exists(seedFile))
        {
            log.LogWarning("Feed seed file {SeedFile} not found; starting with the feeds already stored.", Path.GetFullPath(seedFile));
            return [];
        }
        using var stream = File.OpenRead(seedFile);
        return FeedSeedFile.Read(stream);
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
