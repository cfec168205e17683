using System.Collections.Concurrent;
using Aggregator.Tests.Browser;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Aggregator.Tests.Support;

/// <summary>
/// dotnet test's default output names a skipped test but not why (the reason shows from verbosity "normal" on). A class
/// whose tests may skip takes one of these as a class fixture: it says the reason once per run as an xunit diagnostic
/// message (turned on in xunit.runner.json), which the default output shows.
/// </summary>
public abstract class SkipNotice
{
    private static readonly ConcurrentDictionary<string, bool> Said = new();

    protected SkipNotice(IMessageSink diagnostics, string? reason)
    {
        if (reason is not null && Said.TryAdd(reason, true))
            diagnostics.OnMessage(new DiagnosticMessage("Some tests skip: " + reason));
    }
}

public sealed class PostgresSkipNotice(IMessageSink diagnostics) : SkipNotice(diagnostics, TestPostgres.SkipReason);

public sealed class ChromiumSkipNotice(IMessageSink diagnostics) : SkipNotice(diagnostics, DashboardFixture.SkipReasonHere);
