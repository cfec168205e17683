using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Aggregator.Storage.Postgres;

namespace Aggregator.Cli.Commands;

/// <summary>
/// aggregator bench nodes --postgres CONNECTION [--items N] [--feeds F] [--workers 1,2,3] [--jobs J] [--api PATH]: ingests the
/// same generated feeds (served on loopback, article pages included) with the service as operators run it — one
/// SQLite process (--role all), then one API node and N worker nodes on a fresh PostgreSQL database per run — and prints
/// stories/second for each. --jobs sets each node's Hangfire workers (concurrent polls; the service's default is 8).
/// The connection string names a role that may create databases.
/// </summary>
public static class BenchNodesCommand
{
    public static async Task<int> RunAsync(CliArgs args, TextWriter stdout)
    {
        var server = args.Option("postgres") ?? throw new ArgumentException("bench nodes needs --postgres CONNECTION (a role that may create databases).");
        var items = int.Parse(args.Option("items") ?? "2000");
        var feedCount = int.Parse(args.Option("feeds") ?? "40");
        var workerCounts = (args.Option("workers") ?? "1,2,3").Split(',').Select(int.Parse).ToList();
        var api = args.Option("api") ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../Aggregator.Api/bin/Release/net10.0/Aggregator.Api.dll"));
        if (!File.Exists(api)) throw new ArgumentException($"{api} not found: build src/Aggregator.Api in Release or pass --api PATH.");

        await using var feeds = await BenchIngestCommand.StartServerAsync(items, feedCount);
        var directory = Path.Combine(Path.GetTempPath(), "aggregator-bench-nodes-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var seedFile = Path.Combine(directory, "feeds.json");
            var baseUrl = feeds.BaseUrl();
            await File.WriteAllTextAsync(seedFile, JsonSerializer.Serialize(
                Enumerable.Range(0, feedCount).Select(f => new { name = $"Feed {f}", url = $"{baseUrl}/feed/{f}", intervalMinutes = 60 })));
            var expected = Math.Max(1, items / feedCount) * feedCount;
            var common = new Dictionary<string, string>
            {
                ["Feeds__SeedFile"] = seedFile,
                ["Fetching__AllowedNetworks__0"] = "127.0.0.0/8",
                ["Ingestion__MaxItemsPerPoll"] = "100000",
                ["RateLimiting__Enabled"] = "false",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Jobs__WorkerCount"] = args.Option("jobs") ?? "8",
                ["Logging__Console__LogToStandardErrorThreshold"] = "Warning", // the nodes' warnings and errors show on this stderr
            };

            var sqlite = new Dictionary<string, string>(common) { ["Storage__Sqlite__Path"] = Path.Combine(directory, "aggregator.db") };
            await stdout.WriteLineAsync(await RunAsync(api, sqlite, workers: 0, expected, "SQLite, 1 process (--role all)"));
            foreach (var workers in workerCounts)
            {
                var name = "aggregator_bench_" + Guid.NewGuid().ToString("N");
                var connectionString = await PostgresDatabase.CreateDatabaseAsync(server, name);
                try
                {
                    var postgres = new Dictionary<string, string>(common) { ["Storage__Provider"] = "Postgres", ["Storage__Postgres__ConnectionString"] = connectionString };
                    await stdout.WriteLineAsync(await RunAsync(api, postgres, workers, expected, $"PostgreSQL, API + {workers} worker{(workers == 1 ? "" : "s")}"));
                }
                finally
                {
                    await PostgresDatabase.DropDatabaseAsync(server, name);
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
        return 0;
    }

    /// <summary>
    /// Starts the workers (when any) and then the node that seeds the feeds, and watches /api/stats until every story
    /// is stored. The rate counts from the first stored story, so process start-up is left out of it.
    /// </summary>
    private static async Task<string> RunAsync(string api, Dictionary<string, string> environment, int workers, int expected, string label)
    {
        var processes = new List<Process>();
        try
        {
            for (var w = 0; w < workers; w++)
            {
                var url = $"http://127.0.0.1:{FreePort()}";
                processes.Add(Start(api, environment, "--role", "worker", "--urls", url));
                await WaitAsync(async http => (await http.GetAsync($"{url}/health")).IsSuccessStatusCode);
            }
            var apiUrl = $"http://127.0.0.1:{FreePort()}";
            var launched = Stopwatch.StartNew();
            processes.Add(Start(api, environment, "--role", workers == 0 ? "all" : "api", "--urls", apiUrl));
            TimeSpan? first = null;
            long firstCount = 0, stored = 0;
            await WaitAsync(async http =>
            {
                stored = (await http.GetFromJsonAsync<JsonElement>($"{apiUrl}/api/stats")).GetProperty("stories").GetInt64();
                if (stored > 0 && first is null) (first, firstCount) = (launched.Elapsed, stored);
                return stored >= expected;
            }, TimeSpan.FromMinutes(30));
            var total = launched.Elapsed;
            var steady = (stored - firstCount) / (total - first!.Value).TotalSeconds;
            return $"{label}: {stored} stories, {steady:0} stories/s from the first story stored ({total.TotalSeconds:0.0} s from launching the API node)";
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                process.Dispose();
            }
        }
    }

    private static Process Start(string api, Dictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(api);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Polls every 100 ms until the check passes; a node still starting up (connection refused) counts as not yet.</summary>
    private static async Task WaitAsync(Func<HttpClient, Task<bool>> check, TimeSpan? timeout = null)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(1));
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await check(http)) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("A node did not get there in time.");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
