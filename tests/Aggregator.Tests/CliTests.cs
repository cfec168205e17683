using System.Diagnostics;
using System.Text.Json;
using Aggregator.Cli;
using Aggregator.Cli.Commands;
using Aggregator.Tests.Support;

namespace Aggregator.Tests;

/// <summary>The CLI contract: the commands outside tools call, with their exact JSON.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task Ingest_of_a_feed_file_prints_its_report_and_stores_each_item_once()
    {
        await using var pipeline = await Pipeline.CreateAsync();
        var file = Fixtures.Path("feeds/world.rss.xml");

        var first = await RunAsync(Ingest, "ingest", file, "--db", pipeline.DatabasePath, "--no-articles");
        var second = await RunAsync(Ingest, "ingest", file, "--db", pipeline.DatabasePath, "--no-articles");

        Assert.Equal(0, first.Code);
        Assert.Equal("rss-2.0", first.Json.GetProperty("format").GetString());
        Assert.Equal((3, 3, 0), (first.Json.GetProperty("items").GetInt32(), first.Json.GetProperty("stored").GetInt32(), first.Json.GetProperty("duplicates").GetInt32()));
        Assert.Equal(0, first.Json.GetProperty("errors").GetArrayLength());
        Assert.EndsWith("world.rss.xml", first.Json.GetProperty("feed").GetString());
        Assert.Equal((0, 3), (second.Json.GetProperty("stored").GetInt32(), second.Json.GetProperty("duplicates").GetInt32()));
        var stories = await pipeline.AllStoriesAsync();
        var lavrov = (await pipeline.Stories.GetAsync(stories.Single(s => s.Title.StartsWith("Lavrov")).Id))!;
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 5, 15, 0, TimeSpan.Zero), lavrov.Published);
        Assert.Equal("Anna Petrova", lavrov.Author);
        Assert.Contains(lavrov.Mentions, m => m.Canonical == "Sergei Lavrov" && m.Type == Aggregator.Nlp.EntityType.Person);
        // Only this command reads files: the file's feed is kept for its stories, paused, so the service never polls it.
        var feed = Assert.Single(await pipeline.Feeds.ListAsync());
        Assert.False(feed.Enabled);
        Assert.Equal(feed.Id, first.Json.GetProperty("feedId").GetInt64());
    }

    [Fact]
    public async Task Ingest_reports_what_it_skipped_and_why_and_what_it_left_for_the_next_run()
    {
        await using var pipeline = await Pipeline.CreateAsync();
        var file = Path.Combine(pipeline.Directory, "gappy.xml");
        File.Copy(Fixtures.Path("shapes/empty-entries.rss.xml"), file);

        var result = await RunAsync(Ingest, "ingest", file, "--db", pipeline.DatabasePath, "--no-articles");

        Assert.Equal(0, result.Code);
        Assert.Equal((4, 1, 0, 0), (result.Json.GetProperty("items").GetInt32(), result.Json.GetProperty("stored").GetInt32(),
            result.Json.GetProperty("duplicates").GetInt32(), result.Json.GetProperty("deferred").GetInt32()));
        var skipped = result.Json.GetProperty("skipped").EnumerateArray().ToList();
        Assert.Equal(3, skipped.Count);
        Assert.All(skipped, s => Assert.Contains("nothing to store", s.GetProperty("reason").GetString()));
        Assert.All(skipped, s => Assert.False(string.IsNullOrEmpty(s.GetProperty("item").GetString())));
    }

    [Fact]
    public async Task Extract_prints_title_byline_published_and_main_text()
    {
        var result = await RunAsync(ExtractCommand.RunAsync, "extract", Fixtures.Path("pages/article.html"), "--url", "https://news.example.org/world/lavrov-taliban");

        Assert.Equal(0, result.Code);
        Assert.Contains("Lavrov hosts Taliban envoys in Moscow", result.Json.GetProperty("title").GetString());
        Assert.Contains("Anna Petrova", result.Json.GetProperty("byline").GetString());
        var text = result.Json.GetProperty("text").GetString()!;
        Assert.StartsWith("Russian Foreign Minister Sergei Lavrov said in Moscow", text.Trim());
        Assert.Contains("Amir Khan Muttaqi", text);
        Assert.DoesNotContain("Most read", text);
        Assert.DoesNotContain("All rights reserved", text);
    }

    [Fact]
    public async Task Ingest_of_a_url_fetches_articles_through_the_real_process()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync();
        server.MapContent("/world/lavrov-taliban", Fixtures.Read("pages/article.html"), "text/html; charset=utf-8");
        server.MapContent("/rss", Fixtures.Read("feeds/world.rss.xml").Replace("https://news.example.org", server.BaseUrl));

        var (code, stdout, stderr) = await RunProcessAsync(["ingest", server.Url("/rss"), "--db", pipeline.DatabasePath],
            new() { ["Fetching__AllowedNetworks__0"] = "127.0.0.0/8" });

        Assert.True(code == 0, stderr);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(3, report.GetProperty("stored").GetInt32());
        Assert.Equal(2, report.GetProperty("errors").GetArrayLength()); // two article pages are not served: feed content used
        var lavrov = (await pipeline.Stories.GetAsync((await pipeline.AllStoriesAsync()).Single(s => s.Title.StartsWith("Lavrov")).Id))!;
        Assert.Equal(Aggregator.Core.Model.ExtractionStatus.Extracted, lavrov.Extraction);
        Assert.Contains("Amir Khan Muttaqi", lavrov.Text);
        Assert.Equal(1, server.HitsOn("/world/lavrov-taliban"));
    }

    [Fact]
    public async Task Private_addresses_are_refused_unless_allowed()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync();
        server.MapContent("/rss", Fixtures.Read("feeds/world.rss.xml"));

        var (code, stdout, _) = await RunProcessAsync(["ingest", server.Url("/rss"), "--db", pipeline.DatabasePath, "--no-articles"], []);

        Assert.Equal(1, code);
        Assert.Contains("not a public address", JsonDocument.Parse(stdout).RootElement.GetProperty("errors")[0].GetString());
        Assert.Equal(0, server.HitsOn("/rss"));
    }

    [Fact]
    public async Task A_proxy_in_the_environment_is_not_used_to_reach_a_private_destination()
    {
        // Were HTTP_PROXY honoured, the guard would check only the proxy's (allowed) address and pass any destination.
        await using var proxy = await LocalServer.StartAsync();
        proxy.MapContent("/page", Fixtures.ArticlePage("Internal", "What only the internal network should see."), "text/html");

        var (code, _, stderr) = await RunProcessAsync(["extract", "http://10.255.255.1/page"], new()
        {
            ["HTTP_PROXY"] = proxy.BaseUrl, ["http_proxy"] = proxy.BaseUrl, ["Fetching__AllowedNetworks__0"] = "127.0.0.0/8",
        });

        Assert.Equal(2, code);
        Assert.Contains("not a public address", stderr);
        Assert.Equal(0, proxy.HitsOn("/page"));
    }

    [Fact]
    public async Task A_failed_ingest_prints_its_report_and_one_log_line()
    {
        await using var pipeline = await Pipeline.CreateAsync();

        var (code, stdout, stderr) = await RunProcessAsync(["ingest", Unresolvable.Url("/rss"), "--db", pipeline.DatabasePath], []);

        Assert.Equal(1, code);
        Assert.Contains("Network error", JsonDocument.Parse(stdout).RootElement.GetProperty("errors")[0].GetString());
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(Unresolvable.Host, line);
    }

    [Fact]
    public async Task A_url_ingest_leaves_no_resting_feed_behind_and_says_when_it_leaves_a_subscription()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync();
        server.MapContent("/rss", Fixtures.Read("feeds/world.rss.xml"));
        var loopback = new Dictionary<string, string> { ["Fetching__AllowedNetworks__0"] = "127.0.0.0/8" };

        var failed = await RunProcessAsync(["ingest", server.Url("/missing"), "--db", pipeline.DatabasePath, "--no-articles"], loopback);
        Assert.Empty(await pipeline.Feeds.ListAsync());
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(failed.Stdout).RootElement.GetProperty("feedId").ValueKind);

        var worked = await RunProcessAsync(["ingest", server.Url("/rss"), "--db", pipeline.DatabasePath, "--no-articles"], loopback);
        var feed = Assert.Single(await pipeline.Feeds.ListAsync());
        Assert.Equal(feed.Id, JsonDocument.Parse(worked.Stdout).RootElement.GetProperty("feedId").GetInt64());
        Assert.Contains($"is now feed {feed.Id}, which the service polls from now on", worked.Stderr);
        Assert.True(feed.Enabled);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task Help_lists_every_command_and_exits_0(string help)
    {
        var (code, stdout, stderr) = await RunProcessAsync([help], []);

        Assert.True(code == 0, stderr);
        Assert.StartsWith("usage: aggregator <command>", stdout);
        foreach (var command in new[] { "ingest <feed-url-or-file>", "extract <html-file-or-url>", "demo", "tag", "retag", "bench queries" })
            Assert.Contains(command, stdout);
    }

    [Theory]
    [InlineData("ingest", "--help")]
    [InlineData("help", "ingest")]
    [InlineData("ingest", "https://example.org/rss", "-h")]
    public async Task Help_of_one_command_shows_its_usage_and_exits_0(params string[] args)
    {
        var (code, stdout, stderr) = await RunProcessAsync(args, []);

        Assert.True(code == 0, stderr);
        Assert.Contains("ingest <feed-url-or-file> [--db PATH] [--no-articles]", stdout);
        Assert.DoesNotContain("extract", stdout);
    }

    [Fact]
    public async Task Extract_with_a_bad_original_url_exits_2_with_one_line()
    {
        var (code, stdout, stderr) = await RunProcessAsync(["extract", Fixtures.Path("pages/article.html"), "--url", "notaurl"], []);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal("aggregator: --url 'notaurl' is not an absolute http(s) URL.", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task Extract_writes_plain_utf8()
    {
        var page = Path.Combine(Path.GetTempPath(), $"aggregator-extract-{Guid.NewGuid():N}.html");
        await File.WriteAllTextAsync(page, Fixtures.ArticlePage("O'Connell wins the vote in Zürich", "Mary O'Connell, a councillor in Zürich, won the vote on the new tram line & the bridge."));
        try
        {
            var output = new StringWriter();
            Assert.Equal(0, await ExtractCommand.RunAsync(new CliArgs([page, "--url", "https://news.example.org/zurich"]), output));

            var json = output.ToString();
            Assert.Contains("Mary O'Connell, a councillor in Zürich", json);
            Assert.Contains("tram line & the bridge", json);
            Assert.DoesNotContain("\\u", json);
        }
        finally
        {
            File.Delete(page);
        }
    }

    [Fact]
    public async Task Tag_reads_json_lines_and_writes_entities_with_exact_offsets()
    {
        const string input = """
            {"id": "a", "text": "Russian Foreign Minister Sergei Lavrov said in Moscow that the Taliban would attend.", "lang": "en"}
            {"id": 7, "text": ""}
            """;

        var (code, stdout, stderr) = await RunProcessAsync(["tag"], [], input);

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal("a", lines[0].GetProperty("id").GetString());
        var entities = lines[0].GetProperty("entities").EnumerateArray()
            .Select(e => (e.GetProperty("start").GetInt32(), e.GetProperty("end").GetInt32(), e.GetProperty("type").GetString(), e.GetProperty("text").GetString()))
            .ToList();
        Assert.Equal([(25, 38, "PERSON", "Sergei Lavrov"), (47, 53, "LOCATION", "Moscow"), (63, 70, "ORGANIZATION", "Taliban")], entities);
        Assert.Equal(7, lines[1].GetProperty("id").GetInt32());
        Assert.Equal(0, lines[1].GetProperty("entities").GetArrayLength());
    }

    private static Task<int> Ingest(CliArgs args, TextWriter stdout) => IngestCommand.RunAsync(args, stdout, TextWriter.Null);

    private static async Task<(int Code, JsonElement Json)> RunAsync(Func<CliArgs, TextWriter, Task<int>> command, params string[] args)
    {
        var output = new StringWriter();
        var flags = args[0] == "ingest" ? new[] { "no-articles" } : [];
        var code = await command(new CliArgs(args.Skip(1), flags), output);
        return (code, JsonDocument.Parse(output.ToString()).RootElement);
    }

    /// <summary>Runs the built CLI (aggregator.dll beside the tests) as its own process.</summary>
    private static async Task<(int Code, string Stdout, string Stderr)> RunProcessAsync(string[] args, Dictionary<string, string> environment, string? stdin = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = Path.GetTempPath() };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "aggregator.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
