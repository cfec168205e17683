using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aggregator.Core.Feeds;
using Aggregator.Core.Model;
using Aggregator.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Tests;

/// <summary>Every input that costs the service in proportion to its size has a cap, answered with a clear 4xx.</summary>
public sealed class InputLimitTests
{
    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;

    [Fact]
    public async Task An_opml_list_of_more_than_1000_feeds_is_refused_and_adds_none()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        var outlines = string.Concat(Enumerable.Range(0, 1_001).Select(i => $"<outline type=\"rss\" text=\"F{i}\" xmlUrl=\"https://f{i}.example.org/rss\"/>"));

        var response = await client.PostAsync("/api/feeds/opml", new StringContent($"<opml version=\"2.0\"><body>{outlines}</body></opml>", Encoding.UTF8, "text/x-opml"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("more than 1,000 feeds", await DetailAsync(response));
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/api/feeds")).GetArrayLength());
    }

    private sealed class RecordingScheduler : IFeedScheduler
    {
        public List<string> Calls { get; } = [];
        public void Schedule(Feed feed) => Calls.Add($"schedule {feed.Id}");
        public void Unschedule(long feedId) => Calls.Add($"unschedule {feedId}");
        public void PollNow(long feedId) => Calls.Add($"poll {feedId}");
        public void PollIfDue(long feedId) => Calls.Add($"poll-if-due {feedId}");
        public void Resume(long feedId) => Calls.Add($"resume {feedId}");
        public void ScheduleInBackground(IReadOnlyList<long> feedIds) => Calls.Add($"background {string.Join(",", feedIds)}");
    }

    /// <summary>Scheduling costs the job storage ~0.1 s a feed (1,000 feeds took 74 s on the request): an import hands it to one job.</summary>
    [Fact]
    public async Task An_import_schedules_its_feeds_in_one_background_job()
    {
        var scheduler = new RecordingScheduler();
        await using var pipeline = await Pipeline.CreateAsync(services: s => s.AddSingleton<IFeedScheduler>(scheduler));
        var service = pipeline.Get<FeedService>();
        var outlines = string.Concat(Enumerable.Range(0, 3).Select(i => $"<outline type=\"rss\" text=\"F{i}\" xmlUrl=\"https://f{i}.example.org/rss\"/>"));

        var report = await service.ImportOpmlAsync(new MemoryStream(Encoding.UTF8.GetBytes($"<opml version=\"2.0\"><body>{outlines}</body></opml>")));
        var ids = report.Added.Select(f => f.Id).ToList();

        Assert.Equal([$"background {string.Join(",", ids)}"], scheduler.Calls);
        scheduler.Calls.Clear();
        await service.ScheduleAsync(ids);
        Assert.Equal(ids.SelectMany(id => new[] { $"schedule {id}", $"poll-if-due {id}" }), scheduler.Calls);
    }

    [Fact]
    public async Task Feed_names_urls_and_tags_have_caps()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();

        var longName = await client.PostAsJsonAsync("/api/feeds", new { url = "https://a.example.org/rss", name = new string('n', 900_000) });
        var longUrl = await client.PostAsJsonAsync("/api/feeds", new { url = "https://b.example.org/rss?" + new string('q', 3_000) });
        var manyTags = await client.PostAsJsonAsync("/api/feeds", new { url = "https://c.example.org/rss", tags = Enumerable.Range(0, 21).Select(i => $"t{i}") });
        var fitting = await client.PostAsJsonAsync("/api/feeds", new { url = "https://d.example.org/rss", name = new string('n', 200) });
        var id = (await fitting.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var renamed = await client.PatchAsJsonAsync($"/api/feeds/{id}", new { name = new string('r', 201) });

        Assert.Equal(HttpStatusCode.BadRequest, longName.StatusCode);
        Assert.Contains("longer than 200 characters", await DetailAsync(longName));
        Assert.Equal(HttpStatusCode.BadRequest, longUrl.StatusCode);
        Assert.Contains("longer than 2,048 characters", await DetailAsync(longUrl));
        Assert.Equal(HttpStatusCode.BadRequest, manyTags.StatusCode);
        Assert.Equal(HttpStatusCode.Created, fitting.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, renamed.StatusCode);
    }

    private static async Task<HttpResponseMessage> OpenStreamAsync(HttpClient client) =>
        await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/stream"), HttpCompletionOption.ResponseHeadersRead);

    [Theory]
    [InlineData(2, 10, HttpStatusCode.TooManyRequests)]      // one client's excess
    [InlineData(10, 2, HttpStatusCode.ServiceUnavailable)]   // the server's
    public async Task Streams_are_capped_per_client_and_in_all(int perClient, int inAll, HttpStatusCode refusal)
    {
        await using var api = new ApiFactory(new() { ["Stream:MaxConnectionsPerClient"] = $"{perClient}", ["Stream:MaxConnections"] = $"{inAll}" });
        var client = api.CreateClient();

        var first = await OpenStreamAsync(client);
        using var second = await OpenStreamAsync(client);
        using var third = await OpenStreamAsync(client);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal(refusal, third.StatusCode);
        Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(third.Headers.RetryAfter);

        // A stream that ends gives its slot back.
        first.Dispose();
        for (var attempt = 0; ; attempt++)
        {
            using var again = await OpenStreamAsync(client);
            if (again.StatusCode == HttpStatusCode.OK) break;
            Assert.True(attempt < 100, "the closed stream's slot never came back");
            await Task.Delay(50);
        }
    }
}
