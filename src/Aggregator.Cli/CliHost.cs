using Aggregator.Core;
using Aggregator.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aggregator.Cli;

/// <summary>The same core and configuration keys as the API (appsettings.json in the working folder, then environment variables).</summary>
public static class CliHost
{
    public static IHost Build(IDictionary<string, string?>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Directory.GetCurrentDirectory() });
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        // stdout carries the command's JSON; logs go to stderr, warnings and worse only.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAggregatorCore(builder.Configuration);
        builder.Services.AddAggregatorStorage(builder.Configuration);
        return builder.Build();
    }
}
