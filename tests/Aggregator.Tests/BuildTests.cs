using System.Text.Json;

namespace Aggregator.Tests;

/// <summary>The build is quiet: restore takes exactly the package versions asked for.</summary>
public sealed class BuildTests
{
    [Fact]
    public void Restore_of_the_tests_and_everything_they_reference_logged_no_warning()
    {
        // bin/Release/net10.0 -> obj/project.assets.json of this project, which holds the restore's messages for the
        // whole graph (the API, the CLI and their packages).
        var assets = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "obj", "project.assets.json");
        using var document = JsonDocument.Parse(File.ReadAllText(assets));

        var messages = document.RootElement.TryGetProperty("logs", out var logs)
            ? logs.EnumerateArray().Select(l => $"{l.GetProperty("code").GetString()}: {l.GetProperty("message").GetString()}").ToList()
            : [];

        Assert.Empty(messages);
    }
}
