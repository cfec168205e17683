using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aggregator.Tests.Support;

/// <summary>The API in process on its own SQLite file and seed file; the Hangfire server is off unless asked for.</summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    public string Directory { get; }
    public string SeedFile => Path.Combine(Directory, "feeds.json");
    private readonly Dictionary<string, string?> _settings;

    public ApiFactory(Dictionary<string, string?>? settings = null, string? directory = null)
    {
        Directory = directory ?? Path.Combine(Path.GetTempPath(), "aggregator-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        if (!File.Exists(SeedFile)) File.WriteAllText(SeedFile, "[]");
        _settings = new Dictionary<string, string?>
        {
            ["Storage:Sqlite:Path"] = Path.Combine(Directory, "aggregator.db"),
            ["Storage:SettleTime"] = "00:00:00", // polling shows stories at once; the store suite tests the settle time
            ["Feeds:SeedFile"] = SeedFile,
            ["Fetching:AllowedNetworks:0"] = "127.0.0.0/8", // the tests' own servers, on loopback only
            ["Jobs:RunServer"] = "false",
        };
        foreach (var (key, value) in settings ?? []) _settings[key] = value;
    }

    /// <summary>This host, logging to <paramref name="logs"/> too; its container makes and disposes the provider.</summary>
    public WebApplicationFactory<Program> WithLogs(CapturedLogs logs) =>
        WithWebHostBuilder(b => b.ConfigureLogging(l => l.Services.AddSingleton<ILoggerProvider>(_ => logs)));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }
}
