using System.Net;
using System.Net.Sockets;
using Aggregator.Core.Ingestion;
using Aggregator.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Aggregator.Tests;

/// <summary>
/// What a failing feed costs the log: one line per failed poll, no stack traces for the network errors the open internet
/// is full of, and no retry of a name that did not resolve.
/// </summary>
public sealed class FailureLoggingTests
{
    [Fact]
    public async Task A_name_that_does_not_resolve_is_not_retried_and_network_errors_leave_one_warning_without_a_stack_trace()
    {
        var logs = new CapturedLogs();
        await using var pipeline = await Pipeline.CreateAsync(new() { ["Fetching:Retries"] = "2" }, logs: logs);
        var unknownHost = await pipeline.AddFeedAsync(Unresolvable.Url("/feed"));
        var refused = await pipeline.AddFeedAsync($"http://127.0.0.1:{ClosedPort()}/feed");

        var unknownHostReport = await pipeline.PollAsync(unknownHost);
        var refusedReport = await pipeline.PollAsync(refused);

        Assert.Equal(PollOutcome.Failed, unknownHostReport.Outcome);
        Assert.Equal(PollOutcome.Failed, refusedReport.Outcome);
        Assert.Equal(0, Retries(logs, Unresolvable.Host));
        Assert.Equal(2, Retries(logs, "127.0.0.1")); // a refused connection may be a restart: retried
        var warnings = logs.Entries.Where(e => e.Level >= LogLevel.Warning).ToList();
        Assert.All(warnings, w => Assert.Null(w.Exception));
        Assert.Equal(1, warnings.Count(w => w.Message.Contains(unknownHost.Url)));
        Assert.Equal(1, warnings.Count(w => w.Message.Contains(refused.Url)));
        Assert.Equal(2, warnings.Count);
    }

    [Fact]
    public async Task The_service_writes_one_line_per_failed_poll()
    {
        var refusedUrl = $"http://127.0.0.1:{ClosedPort()}/feed";
        var directory = Path.Combine(Path.GetTempPath(), "aggregator-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "feeds.json"),
            $$"""[{ "name": "Refused", "url": "{{refusedUrl}}" }, { "name": "Unknown host", "url": "{{Unresolvable.Url("/feed")}}" }]""");
        using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["Storage__Sqlite__Path"] = Path.Combine(directory, "aggregator.db"),
            ["Feeds__SeedFile"] = Path.Combine(directory, "feeds.json"),
            ["Fetching__AllowedNetworks__0"] = "127.0.0.0/8",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        });

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (service.Output.Count(l => l.Contains("failed (1 in a row)")) < 2 && !service.HasExited && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        await service.KillAsync();

        var lines = service.Output.ToList();
        Assert.True(lines.Count(l => l.Contains("failed (1 in a row)")) == 2, string.Join('\n', lines));
        // One line each, which says what failed, where it was logged from and how bad it is.
        Assert.Contains("warn: Aggregator.Core.Ingestion.FeedPoller", Assert.Single(lines, l => l.Contains(refusedUrl)));
        Assert.Contains("warn: Aggregator.Core.Ingestion.FeedPoller", Assert.Single(lines, l => l.Contains(Unresolvable.Host)));
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at "));
        Assert.DoesNotContain(lines, l => l.Contains("Polly") || l.Contains("System.Net.Http"));
    }

    /// <summary>Retries the resilience pipeline made (its OnRetry events, at any level) of fetches to <paramref name="host"/>.</summary>
    private static int Retries(CapturedLogs logs, string host) =>
        logs.Entries.Count(e => e.Category == "Polly" && e.Message.Contains("'OnRetry'") && e.Message.Contains(host));

    /// <summary>A loopback port nothing listens on.</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
