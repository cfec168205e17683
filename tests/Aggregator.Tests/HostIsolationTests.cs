using System.Net;
using System.Net.Http.Json;
using Aggregator.Core.Stores;
using Aggregator.Tests.Support;
using Hangfire;
using Hangfire.Logging;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Tests;

/// <summary>
/// Several hosts in one process (as in this suite): each keeps Hangfire's process-wide log provider and job activator
/// to itself, so a disposed host never breaks a live one. Run alone, because they watch process-wide state.
/// </summary>
[Collection(ProcessWideState.Name)]
public sealed class HostIsolationTests
{
    [Fact]
    public async Task Hangfire_logs_to_a_live_host_after_a_host_configured_later_is_disposed()
    {
        var logs = new CapturedLogs();
        await using var factory = new ApiFactory();
        await using var live = factory.WithLogs(logs);
        live.CreateClient();
        await StartAndDisposeAnotherHostAsync();

        // What the static initialiser of a Hangfire type (Hangfire.Storage.SQLite's distributed lock) does on first use.
        LogProvider.GetLogger("Aggregator.Tests.Probe").Warn("probe from a Hangfire type");

        Assert.Contains("probe from a Hangfire type", logs.Messages);
        var added = await live.CreateClient().PostAsJsonAsync("/api/feeds", new { url = Unresolvable.Url("/feed") });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
    }

    [Fact]
    public async Task Jobs_of_a_host_are_activated_from_its_own_services()
    {
        await using var live = new ApiFactory();
        live.CreateClient();
        await StartAndDisposeAnotherHostAsync();

#pragma warning disable CS0618 // the context-free scope: a job's context plays no part in which services it gets
        using var scope = live.Services.GetRequiredService<JobActivator>().BeginScope();
#pragma warning restore CS0618
        Assert.Same(live.Services.GetRequiredService<IFeedStore>(), scope.Resolve(typeof(IFeedStore)));
    }

    [Fact]
    public async Task A_disposed_host_lets_go_of_hangfire_logging()
    {
        var logs = new CapturedLogs();
        await using (var factory = new ApiFactory())
        await using (var host = factory.WithLogs(logs))
            host.CreateClient();
        await logs.Disposed;

        LogProvider.GetLogger("Aggregator.Tests.Probe").Warn("after the host is gone");

        Assert.DoesNotContain("after the host is gone", logs.Messages);
    }

    /// <summary>A host that configures Hangfire after the test's own, and is gone (container disposed) on return.</summary>
    private static async Task StartAndDisposeAnotherHostAsync()
    {
        var logs = new CapturedLogs();
        await using (var factory = new ApiFactory())
        await using (var other = factory.WithLogs(logs))
            other.CreateClient();
        // The test host disposes its container on its own thread after the factory is disposed; the logger
        // factory goes last, after everything that depends on it.
        await logs.Disposed;
    }
}

/// <summary>Tests that watch process-wide state run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideState
{
    public const string Name = "process-wide state";
}
