using System.Text.Json;
using System.Text.Json.Nodes;
using System.Net.Http.Json;
using System.Net;
using System.Text.RegularExpressions;
using Aggregator.Core.Ingestion;
using Aggregator.Core.Model;
using Aggregator.Core.Stores;
using Aggregator.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Aggregator.Tests.Browser;

/// <summary>
/// The real API on Kestrel (a browser needs a real port), with stories ingested through the service's own poller from
/// fixture feeds served on a local server, and Debian's Chromium driven by Playwright. Started once for the class,
/// lazily, so that the tests skip without starting anything when Chromium is not installed.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string SkipReason = "Chromium is not installed: apt-get install -y chromium (CI's .ci/run does)";
    public static string? SkipReasonHere => File.Exists(ChromiumPath) ? null : SkipReason;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _started;
    private IPlaywright? _playwright;

    public ApiFactory Api { get; private set; } = null!;
    public volatile bool FlakyWorks;
    public LocalServer FeedServer { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    public static string ScreenshotPath(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }

    public async Task StartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_started) return;
            FeedServer = await LocalServer.StartAsync();
            FeedServer.MapContent("/europe.xml", Fixtures.Read("feeds/europe.rss.xml"));
            FeedServer.MapContent("/world.xml", Fixtures.Read("feeds/world.rss.xml"));
            FeedServer.MapContent("/fresh.xml", FreshFeed());
            FeedServer.MapContent("/identity.xml", IdentityFeed());
            FeedServer.MapContent("/new.xml", Fixtures.Rss("Added from the dashboard",
                new Fixtures.Item("new-1", "A feed added in the browser", "https://example.org/new-1", "Nothing to see.")));
            // Fails until a test makes it work, then serves a feed: what a refresh from the dashboard is for.
            FeedServer.Map("/flaky.xml", async context =>
            {
                if (!FlakyWorks) { context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable; return; }
                context.Response.ContentType = "application/rss+xml";
                await context.Response.WriteAsync(Fixtures.Rss("Flaky Wire", new Fixtures.Item("flaky-1", "The flaky wire is back", "https://flaky.example.org/1", "It works again.")));
            });
            FeedServer.MapContent("/doomed.xml", Fixtures.Rss("Doomed Wire", new Fixtures.Item("doomed-1", "A feed to delete", "https://doomed.example.org/1", "Soon gone.")));
            FeedServer.Map("/broken.xml", context =>
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return Task.CompletedTask;
            });

            // The Hangfire server runs, so that a refresh from the page polls; the feeds below are added through the store,
            // so nothing is scheduled behind the tests' backs.
            Api = new ApiFactory(new Dictionary<string, string?> { ["Ingestion:FetchArticles"] = "false", ["Jobs:RunServer"] = "true" });
            Api.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            Api.StartServer();
            BaseUrl = Api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

            // Through the service's own pipeline: fetch, parse, dedup, tag, store, and feed health.
            var feeds = Api.Services.GetRequiredService<IFeedStore>();
            var poller = Api.Services.GetRequiredService<FeedPoller>();
            foreach (var (path, name) in new[] { ("/world.xml", "World Desk"), ("/europe.xml", "Europe Desk"), ("/fresh.xml", "Markets Live"), ("/identity.xml", "Identity Desk"), ("/broken.xml", "Broken Wire"), ("/flaky.xml", "Flaky Wire"), ("/doomed.xml", "Doomed Wire") })
            {
                var (feed, _) = await feeds.AddAsync(new FeedDefinition(FeedServer.Url(path), name), true);
                await poller.PollAsync(feed.Id, force: true);
            }

            _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
            });
            _started = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stories of the last hours, so that trends over a 24 h window have something to find whenever the tests run.</summary>
    private static string FreshFeed()
    {
        var now = DateTimeOffset.UtcNow;
        string At(double hoursAgo) => now.AddHours(-hoursAgo).ToString("r");
        return Fixtures.Rss("Markets Live",
            new Fixtures.Item("fresh-1", "Lagarde signals rate cut as inflation slows", "https://markets.example.org/1",
                "Christine Lagarde said in Frankfurt that the European Central Bank could cut rates as inflation slowed.", At(1)),
            new Fixtures.Item("fresh-2", "Lagarde questioned by European Parliament", "https://markets.example.org/2",
                "Members of the European Parliament questioned Christine Lagarde about bank rules in Brussels.", At(2.5)),
            new Fixtures.Item("fresh-3", "Markets rally after Lagarde remarks", "https://markets.example.org/3",
                "Shares rose in Frankfurt and Paris after Christine Lagarde spoke, traders said.", At(4)),
            new Fixtures.Item("fresh-4", "Lagarde and Macron discuss savings union", "https://markets.example.org/4",
                "Christine Lagarde met Emmanuel Macron in Paris to discuss a savings union for the European Union.", At(6)));
    }

    /// <summary>
    /// Entities for the editing tests, each test its own: a person to rename and retype (with a namesake-like
    /// neighbour to collide with), an organisation to ignore, a person with a twin to merge, and a person whose
    /// surname-only mentions become an alias to split off. Older than the other feeds' stories, so that the latest
    /// stories stay theirs.
    /// </summary>
    private static string IdentityFeed()
    {
        static string At(double hoursAgo) => new DateTimeOffset(2026, 11, 12, 12, 0, 0, TimeSpan.Zero).AddHours(-hoursAgo).ToString("r");
        return Fixtures.Rss("Identity Desk",
            new Fixtures.Item("id-1", "Warsaw trade fair opens", "https://identity.example.org/1",
                "Marta Kowalczyk opened the trade fair in Warsaw, and Marta Kowalska spoke for the exhibitors.", At(60)),
            new Fixtures.Item("id-2", "Trade fair draws record crowds", "https://identity.example.org/2",
                "Organisers said Marta Kowalczyk would bring the fair to Gdansk next year.", At(58)),
            new Fixtures.Item("id-3", "Trading house expands", "https://identity.example.org/3",
                "Northwind Trading Company opened an office in Lisbon.", At(56)),
            new Fixtures.Item("id-4", "Shipping costs rise", "https://identity.example.org/4",
                "Northwind Trading Company warned about shipping costs in Rotterdam.", At(54)),
            new Fixtures.Item("id-5", "Visit to a steel works", "https://identity.example.org/5",
                "Boris Johnson visited a steel works in Sheffield on Monday.", At(52)),
            new Fixtures.Item("id-6", "Speech on trains", "https://identity.example.org/6",
                "Boris Johnson spoke about railways in Leeds.", At(50)),
            new Fixtures.Item("id-7", "A dinner in the capital", "https://identity.example.org/7",
                "Boris Johnson attended a dinner in London.", At(48)),
            new Fixtures.Item("id-8", "Former mayor at a school", "https://identity.example.org/8",
                "Former mayor B. Johnson opened a school in Manchester.", At(46)),
            new Fixtures.Item("id-9", "Former mayor at a hospital", "https://identity.example.org/9",
                "Former mayor B. Johnson visited a hospital in Bristol.", At(44)),
            new Fixtures.Item("id-10", "Trade warning", "https://identity.example.org/10",
                "Ngozi Okonjo-Iweala said in Geneva that tariffs hurt growth.", At(42)),
            new Fixtures.Item("id-11", "Okonjo-Iweala calls for calm", "https://identity.example.org/11",
                "Okonjo-Iweala asked ministers in Nairobi to keep talking.", At(40)),
            new Fixtures.Item("id-12", "Okonjo-Iweala meets ministers", "https://identity.example.org/12",
                "Okonjo-Iweala met ministers in Accra.", At(38)));
    }

    public async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        var page = await context.NewPageAsync();
        // Generous: CI runs the whole suite on two cores at once, and these waits only cost time when something is wrong.
        page.SetDefaultTimeout(30_000);
        page.SetDefaultNavigationTimeout(30_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        var errors = new List<string>();
        // Uncaught script errors and any dialog (an alert would mean feed text ran as script) fail the test.
        page.PageError += (_, message) => errors.Add("page error: " + message);
        page.Dialog += async (_, dialog) =>
        {
            errors.Add("dialog: " + dialog.Message);
            await dialog.DismissAsync();
        };
        return (context, page, errors);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (!_started) return;
        await Browser.CloseAsync();
        _playwright?.Dispose();
        await Api.DisposeAsync();
        await FeedServer.DisposeAsync();
    }
}

public sealed class DashboardTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>, IClassFixture<ChromiumSkipNotice>
{
    private async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> OpenAsync(string hash)
    {
        Skip.IfNot(File.Exists(DashboardFixture.ChromiumPath), DashboardFixture.SkipReason);
        await fixture.StartAsync();
        var opened = await fixture.NewPageAsync();
        await opened.Page.GotoAsync("/" + hash);
        return opened;
    }

    [SkippableFact]
    public async Task Dashboard_is_served_at_the_root()
    {
        Skip.IfNot(File.Exists(DashboardFixture.ChromiumPath), DashboardFixture.SkipReason);
        await fixture.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };

        var index = await client.GetAsync("/");
        var script = await client.GetAsync("/app.js");
        var style = await client.GetAsync("/app.css");

        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        Assert.Contains("app.js", await index.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal(HttpStatusCode.OK, style.StatusCode);
    }

    [SkippableFact]
    public async Task Latest_stories_show_and_expand_with_entities_highlighted_by_type()
    {
        var (context, page, errors) = await OpenAsync("#/");
        await using var _ = context;

        var stories = page.Locator("ol.stories > li.story");
        await Assertions.Expect(stories.First).ToBeVisibleAsync();
        Assert.True(await stories.CountAsync() >= 15);
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("latest") });
        await Assertions.Expect(page.Locator(".story-title", new() { HasText = "Von der Leyen visits Kyiv ahead of winter" })).ToBeVisibleAsync();
        // Feed text is text: a title with markup in it shows the markup as characters and creates no element.
        await Assertions.Expect(page.Locator(".story-title", new() { HasText = "Macron says <b>no</b> to tariffs <img src=x onerror=alert(1)>" })).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator(".story-title b, .story-title img, main img").CountAsync());

        var story = stories.Filter(new() { Has = page.Locator(".story-title", new() { HasText = "Macron and Scholz meet in Berlin" }) });
        await story.Locator(".story-title").ClickAsync();
        var detail = story.Locator(".story-detail");
        await Assertions.Expect(detail).ToBeVisibleAsync();

        await Assertions.Expect(detail.Locator("a.ent.ent-person", new() { HasText = "Emmanuel Macron" })).ToBeVisibleAsync();
        await Assertions.Expect(detail.Locator(".story-text a.ent.ent-location", new() { HasText = "Berlin" }).First).ToBeVisibleAsync();
        await Assertions.Expect(detail.Locator(".story-text a.ent.ent-organization", new() { HasText = "European Union" }).First).ToBeVisibleAsync();
        await Assertions.Expect(detail.Locator(".detail-title a.ent.ent-person", new() { HasText = "Macron" })).ToBeVisibleAsync();
        Assert.Equal(3, await detail.Locator(".legend .legend-item").CountAsync());
        // The three types get three different colours.
        var colours = new HashSet<string>();
        foreach (var type in new[] { "person", "location", "organization" })
            colours.Add(await detail.Locator($".story-text a.ent-{type}").First.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        Assert.Equal(3, colours.Count);
        var href = await detail.Locator("a.ent.ent-person", new() { HasText = "Emmanuel Macron" }).GetAttributeAsync("href");
        Assert.Equal("#/entity?name=Emmanuel+Macron&type=PERSON", href);

        await story.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("latest-expanded") });
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task Search_by_text_and_entity_filter_shows_only_matching_stories_with_snippets()
    {
        var (context, page, errors) = await OpenAsync("#/search");
        await using var _ = context;

        await page.Locator("#q").FillAsync("Kyiv");
        await page.Locator("#entity-input").PressSequentiallyAsync("Emmanuel Mac");
        var suggestion = page.Locator(".suggestion", new() { HasText = "Emmanuel Macron" });
        await Assertions.Expect(suggestion).ToBeVisibleAsync();
        await suggestion.ClickAsync();
        await Assertions.Expect(page.Locator(".filter-chip", new() { HasText = "Emmanuel Macron" })).ToBeVisibleAsync();
        await page.Locator("form.search-form button[type=submit]").ClickAsync();

        var results = page.Locator(".results-list > li.story");
        await Assertions.Expect(results.First).ToBeVisibleAsync();
        var titles = (await results.Locator(".story-title").AllTextContentsAsync()).Order().ToList();
        Assert.Equal(["Macron visits Kyiv with pledge of air defence", "Von der Leyen visits Kyiv ahead of winter"], titles);
        Assert.True(await results.Locator(".snippet mark").CountAsync() >= 2);
        Assert.All(await results.Locator(".snippet mark").AllTextContentsAsync(), m => Assert.Equal("kyiv", m.ToLowerInvariant()));
        Assert.Contains("entity=Emmanuel+Macron", page.Url);
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("search"), FullPage = true });

        // The snippet is escaped by the server: escaped markup in a story's text shows as characters, never as elements.
        await page.GotoAsync("/#/search?q=markup");
        var snippet = page.Locator(".results-list .snippet").First;
        await Assertions.Expect(snippet).ToContainTextAsync("<img src=x onerror=alert(1)> and <b>bold</b>");
        await Assertions.Expect(snippet.Locator("mark")).ToHaveTextAsync("markup");
        Assert.Equal(0, await page.Locator(".results img, .results b").CountAsync());

        // An unknown entity answers 404 problem+json: its detail is shown, the page keeps working.
        await page.GotoAsync("/#/search?entity=Nobody+Atall");
        await Assertions.Expect(page.Locator(".results .notice")).ToContainTextAsync("Nobody Atall");
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task Entity_page_draws_a_chart_of_mentions_with_cooccurring_entities()
    {
        var (context, page, errors, client, id) = await OpenEntityAsync("Emmanuel Macron", "PERSON", openEditing: false);
        await using var _ = context;
        using var __ = client;

        var chart = page.Locator("svg.chart");
        await Assertions.Expect(chart).ToBeVisibleAsync();
        Assert.True(await chart.Locator("rect.bar").CountAsync() >= 1, "a bar per day with mentions");
        Assert.True(await chart.Locator(".x-axis text").CountAsync() >= 3, "x axis labels");
        Assert.True(await chart.Locator(".y-axis text").CountAsync() >= 3, "y axis labels");
        await Assertions.Expect(page.Locator("table.cooccurrences tbody tr", new() { HasText = "Paris" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".entity .stories .story").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("entity-day"), FullPage = true });

        await page.Locator(".segmented a", new() { HasText = "Hourly" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"interval=hour"), new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator("svg.chart rect.bar").First).ToBeAttachedAsync();
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("entity-hour"), FullPage = true });
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task Trending_lists_entities_with_score_counts_and_evidence()
    {
        var (context, page, errors) = await OpenAsync("#/trends");
        await using var _ = context;

        var trend = page.Locator(".trend", new() { HasText = "Christine Lagarde" });
        await Assertions.Expect(trend).ToBeVisibleAsync();
        await Assertions.Expect(trend.Locator(".figures")).ToContainTextAsync("Score");
        Assert.True(await trend.Locator(".evidence li").CountAsync() >= 1);
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("trends"), FullPage = true });
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task Feeds_page_shows_health_and_adds_a_feed()
    {
        var (context, page, errors) = await OpenAsync("#/feeds");
        await using var _ = context;

        var rows = page.Locator("table.feeds tbody tr");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        Assert.True(await rows.CountAsync() >= 4);
        var broken = page.Locator("tr.feed-row.failing", new() { HasText = "Broken Wire" });
        await Assertions.Expect(broken).ToBeVisibleAsync();
        await Assertions.Expect(broken.Locator(".badge")).ToContainTextAsync("Failing");
        await Assertions.Expect(broken.Locator(".error-text")).Not.ToBeEmptyAsync();
        await Assertions.Expect(page.Locator("tr.feed-row.ok", new() { HasText = "Europe Desk" })).ToBeVisibleAsync();

        var url = fixture.FeedServer.Url("/new.xml");
        await page.Locator("#feed-url").FillAsync(url);
        await page.Locator("#feed-name").FillAsync("Added In Browser");
        await page.Locator("form.feed-form button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".form-message.ok")).ToContainTextAsync("Added In Browser");
        await Assertions.Expect(page.Locator("tr.feed-row", new() { HasText = "Added In Browser" })).ToBeVisibleAsync();

        // The same URL again: 409, said as such.
        await page.Locator("#feed-url").FillAsync(url);
        await page.Locator("form.feed-form button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".form-message.error")).ToContainTextAsync("already exists");

        // A URL the server refuses: its problem+json detail is shown.
        await page.Locator("#feed-url").FillAsync("ftp://example.org/feed");
        await page.Locator("form.feed-form button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".form-message.error")).Not.ToContainTextAsync("already exists");
        var detail = await page.Locator(".form-message.error").TextContentAsync();
        Assert.False(string.IsNullOrWhiteSpace(detail));
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("feeds"), FullPage = true });
        Assert.Empty(errors);
    }
    [SkippableFact]
    public async Task Header_figures_leave_out_the_failing_count_when_no_feed_fails()
    {
        var (context, page, errors) = await OpenAsync("#/");
        await using var _ = context;
        await Assertions.Expect(page.Locator("#stats a.stat.failing")).ToContainTextAsync("failing");

        // The same figures with no failing feed.
        await page.RouteAsync("**/api/stats", async route =>
        {
            var response = await route.FetchAsync();
            var stats = JsonNode.Parse(await response.TextAsync())!;
            stats["failingFeeds"] = 0;
            await route.FulfillAsync(new() { Response = response, Body = stats.ToJsonString() });
        });
        await page.ReloadAsync();

        await Assertions.Expect(page.Locator("#stats")).ToContainTextAsync("entities");
        Assert.Matches(@"^[\d,.\s]+ stories [\d,.\s]+ feeds [\d,.\s]+ entities$", (await page.Locator("#stats").InnerTextAsync()).Replace('\n', ' ').Trim());
        Assert.Equal(0, await page.Locator("#stats .failing").CountAsync());
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task Feeds_are_sorted_and_filtered_paused_resumed_retimed_refreshed_and_deleted_from_their_rows()
    {
        var (context, page, errors) = await OpenAsync("#/feeds");
        await using var _ = context;
        var rows = page.Locator("table.feeds tbody tr");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();

        // Failing first by default; by name; filtered by text and by status, kept in the hash.
        Assert.Contains("failing", await rows.First.GetAttributeAsync("class"));
        await page.Locator("#feed-sort").SelectOptionAsync("name");
        var names = await page.Locator("table.feeds tbody .feed-name").AllTextContentsAsync();
        Assert.Equal(names.Order(StringComparer.OrdinalIgnoreCase), names);
        Assert.Contains("sort=name", page.Url);
        await page.Locator("#feed-filter").FillAsync("europe");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("Europe Desk");
        await page.Locator("#feed-filter").FillAsync("");
        await page.Locator("#feed-status").SelectOptionAsync("failing");
        Assert.All(await page.Locator("table.feeds tbody .badge").AllTextContentsAsync(), b => Assert.StartsWith("Failing", b));
        await page.Locator("#feed-status").SelectOptionAsync("all");

        // Pause and resume.
        var europe = rows.Filter(new() { HasText = "Europe Desk" });
        await europe.Locator("[data-action=pause]").ClickAsync();
        await Assertions.Expect(rows.Filter(new() { HasText = "Europe Desk" }).Locator(".badge")).ToHaveTextAsync("Paused");
        await rows.Filter(new() { HasText = "Europe Desk" }).Locator("[data-action=resume]").ClickAsync();
        await Assertions.Expect(rows.Filter(new() { HasText = "Europe Desk" }).Locator(".badge")).ToHaveTextAsync("OK");

        // A new interval.
        var every = rows.Filter(new() { HasText = "World Desk" }).Locator("input.interval");
        await every.FillAsync("30");
        await every.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".form-message.ok")).ToContainTextAsync("Every 30 min");
        var world = (await fixture.Api.Services.GetRequiredService<IFeedStore>().ListAsync()).Single(f => f.Name == "World Desk");
        Assert.Equal(30, world.IntervalMinutes);

        // A refresh polls a resting feed at once.
        var flaky = rows.Filter(new() { HasText = "Flaky Wire" });
        await Assertions.Expect(flaky.Locator(".badge")).ToContainTextAsync("Failing");
        fixture.FlakyWorks = true;
        await flaky.Locator("[data-action=refresh]").ClickAsync();
        await Assertions.Expect(rows.Filter(new() { HasText = "Flaky Wire" }).Locator(".badge")).ToHaveTextAsync("OK");

        // Deleting asks first.
        var doomed = rows.Filter(new() { HasText = "Doomed Wire" });
        await doomed.Locator("[data-action=delete]").ClickAsync();
        await doomed.Locator("[data-action=cancel]").ClickAsync();
        await Assertions.Expect(doomed.Locator("[data-action=delete]")).ToBeVisibleAsync();
        await doomed.Locator("[data-action=delete]").ClickAsync();
        await doomed.Locator("[data-action=confirm-delete]").ClickAsync();
        await Assertions.Expect(rows.Filter(new() { HasText = "Doomed Wire" })).ToHaveCountAsync(0);
        Assert.DoesNotContain(await fixture.Api.Services.GetRequiredService<IFeedStore>().ListAsync(), f => f.Name == "Doomed Wire");
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task Feeds_page_fits_a_390_px_phone_without_cutting_the_table()
    {
        var (context, page, errors) = await OpenAsync("#/feeds");
        await using var _ = context;
        await page.SetViewportSizeAsync(390, 844);
        var rows = page.Locator("table.feeds tbody tr");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();

        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 390"), "the page scrolls sideways");
        foreach (var action in new[] { "refresh", "delete" })
        {
            var box = await rows.First.Locator($"[data-action={action}]").BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"{action} is cut off at {box.X}+{box.Width}");
        }
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("feeds-390"), FullPage = true });
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task Entity_page_says_which_counts_are_all_time_and_which_window_the_chart_covers_and_changes_it()
    {
        var (context, page, errors, client, id) = await OpenEntityAsync("Emmanuel Macron", "PERSON", openEditing: false);
        await using var _ = context;
        using var __ = client;

        await Assertions.Expect(page.Locator(".figures dt").First).ToHaveTextAsync("Mentions, all time");
        await Assertions.Expect(page.Locator(".window .window-text")).ToContainTextAsync("Daily,");
        await Assertions.Expect(page.Locator(".columns .window-text").First).ToContainTextAsync("In the stories of the");
        Assert.DoesNotContain("null", await page.Locator("main").InnerTextAsync());

        await page.Locator("#entity-from").FillAsync("2026-11-20");
        await page.Locator("#entity-to").FillAsync("2026-11-28");
        await page.Locator(".range-control button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(new Regex("from=2026-11-20&to=2026-11-28"), new() { WaitUntil = WaitUntilState.Commit });
        var window = await page.Locator(".window .window-text").TextContentAsync();
        Assert.Contains(new DateTime(2026, 11, 20).ToString("d MMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB")), window);
        Assert.Contains(new DateTime(2026, 11, 28).ToString("d MMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB")), window);

        await page.Locator(".range-control a", new() { HasText = "Last 90 days" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("range=90d"), new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator(".window .window-text")).ToContainTextAsync("last 90 days");

        await page.GotoAsync("/#/entity/987654321");
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("No such entity");
        Assert.Empty(errors);
    }

    /// <summary>The entity's page, shown under its name; with its Edit area opened unless <paramref name="openEditing"/> is false.</summary>
    private async Task<(IBrowserContext Context, IPage Page, List<string> Errors, HttpClient Client, long Id)> OpenEntityAsync(
        string name, string type, bool openEditing = true)
    {
        Skip.IfNot(File.Exists(DashboardFixture.ChromiumPath), DashboardFixture.SkipReason);
        await fixture.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };
        var id = await EntityIdAsync(client, name, type);
        var (context, page, errors) = await OpenAsync($"#/entity/{id}");
        await Assertions.Expect(page.Locator("h1.entity-name")).ToHaveTextAsync(name);
        if (openEditing) await page.Locator(".entity-edit > summary").ClickAsync();
        return (context, page, errors, client, id);
    }

    private static async Task<long> EntityIdAsync(HttpClient client, string name, string type) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/entities?q={Uri.EscapeDataString(name)}&type={type}"))
        .EnumerateArray().Single(e => e.GetProperty("name").GetString() == name).GetProperty("id").GetInt64();

    /// <summary>The entity as the API has it now (a merged id answers the entity it was merged into).</summary>
    private static Task<JsonElement> EntityAsync(HttpClient client, long id) => client.GetFromJsonAsync<JsonElement>($"/api/entities/{id}");

    private static async Task<(long Stories, long Mentions)> CountsAsync(HttpClient client, long id)
    {
        var entity = await EntityAsync(client, id);
        return (entity.GetProperty("stories").GetInt64(), entity.GetProperty("mentions").GetInt64());
    }

    [SkippableFact]
    public async Task Entity_page_renames_and_retypes_and_says_what_the_api_refuses()
    {
        var (context, page, errors, client, id) = await OpenEntityAsync("Marta Kowalczyk", "PERSON");
        await using var _ = context;
        using var __ = client;
        var message = page.Locator(".entity-edit .form-message");

        // Without the operator key the API answers 401 to edits and to the edit log: the page says editing needs the
        // key, and the key given in its field goes with the next request.
        var presented = new System.Collections.Concurrent.ConcurrentQueue<(string Method, string? Key)>();
        await page.RouteAsync(url => new Uri(url).AbsolutePath is var path && (path == $"/api/entities/{id}" || path == "/api/entities/edits"), async route =>
        {
            if (route.Request.Method == "GET" && !route.Request.Url.Contains("/edits")) { await route.ContinueAsync(); return; }
            presented.Enqueue((route.Request.Method, route.Request.Headers.GetValueOrDefault("x-api-key")));
            await route.FulfillAsync(new()
            {
                Status = 401, ContentType = "application/problem+json",
                Body = """{"title":"Unauthorized","status":401,"detail":"This endpoint needs the API key, in the X-Api-Key header or as Authorization: Bearer <key>."}""",
            });
        });
        await page.ReloadAsync();
        await page.Locator(".entity-edit > summary").ClickAsync();
        await Assertions.Expect(page.Locator(".entity-edit .edits .notice.error")).ToContainTextAsync("Editing needs the operator key");
        await page.Locator(".entity-edit .api-key summary").ClickAsync();
        await page.Locator("#entity-api-key").FillAsync("not-the-key");
        await page.Locator("#entity-new-name").FillAsync("Marta Kowalczyk-Nowak");
        await page.Locator("[data-action=rename]").ClickAsync();
        await Assertions.Expect(message).ToContainTextAsync("Editing needs the operator key");
        Assert.Equal(("GET", null), presented.First());
        Assert.Contains(("PATCH", "not-the-key"), presented);
        await page.Locator("#entity-api-key").FillAsync("");
        await page.UnrouteAllAsync();
        await page.ReloadAsync();
        await page.Locator(".entity-edit > summary").ClickAsync();
        await Assertions.Expect(page.Locator(".edit-list, .edits p.muted").First).ToBeVisibleAsync();

        // A name another entity of the type has: the API's problem detail is shown.
        await page.Locator("#entity-new-name").FillAsync("Marta Kowalska");
        await page.Locator("[data-action=rename]").ClickAsync();
        await Assertions.Expect(message).ToContainTextAsync("merge into it instead");
        await Assertions.Expect(message).ToHaveClassAsync(new Regex(@"\berror\b"));
        Assert.Equal("Marta Kowalczyk", (await EntityAsync(client, id)).GetProperty("name").GetString());

        await page.Locator("#entity-new-name").FillAsync("Marta Kowalczyk-Nowak");
        await page.Locator("[data-action=rename]").ClickAsync();
        await Assertions.Expect(page.Locator("h1.entity-name")).ToHaveTextAsync("Marta Kowalczyk-Nowak");
        await Assertions.Expect(message).ToContainTextAsync("Renamed to “Marta Kowalczyk-Nowak”");
        var renamed = await EntityAsync(client, id);
        Assert.Equal("Marta Kowalczyk-Nowak", renamed.GetProperty("name").GetString());
        Assert.Contains("Marta Kowalczyk", renamed.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));

        await page.Locator("#entity-new-type").SelectOptionAsync("ORGANIZATION");
        await page.Locator("[data-action=retype]").ClickAsync();
        await Assertions.Expect(page.Locator(".entity-header .badge")).ToHaveTextAsync("Organization");
        Assert.Equal("ORGANIZATION", (await EntityAsync(client, id)).GetProperty("type").GetString());
        // The two edits made, newest first; the refused and conflicting ones were never made.
        var edits = page.Locator(".edit-list .edit-item");
        await Assertions.Expect(edits).ToHaveCountAsync(2);
        await Assertions.Expect(edits.First).ToContainTextAsync("retyped PERSON to ORGANIZATION");
        await Assertions.Expect(edits.Nth(1)).ToContainTextAsync("renamed 'Marta Kowalczyk' to 'Marta Kowalczyk-Nowak'");

        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("entity-edit"), FullPage = true });
        // On a phone the edit area fits: nothing scrolls sideways, the controls are on screen.
        await page.SetViewportSizeAsync(390, 844);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 390"), "the page scrolls sideways");
        foreach (var control in new[] { "[data-action=rename]", "[data-action=retype]", "[data-action=ignore]", "#merge-target", "[data-action=undo] >> nth=0" })
        {
            var box = await page.Locator(control).BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"{control} is cut off at {box.X}+{box.Width}");
        }
        await page.Locator(".entity-edit").ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("entity-edit-390") });
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task Not_an_entity_leaves_the_entity_list_and_undo_brings_it_back_with_its_counts()
    {
        var (context, page, errors, client, id) = await OpenEntityAsync("Northwind Trading Company", "ORGANIZATION");
        await using var _ = context;
        using var __ = client;
        var before = await CountsAsync(client, id);
        Assert.Equal((2L, 2L), before);
        async Task<bool> ListedAsync() => (await client.GetFromJsonAsync<JsonElement>("/api/entities?q=Northwind"))
            .EnumerateArray().Any(e => e.GetProperty("id").GetInt64() == id);

        await page.Locator("[data-action=ignore]").ClickAsync();
        await Assertions.Expect(page.Locator(".ignored-notice")).ToContainTextAsync("Not an entity");
        Assert.False(await ListedAsync());
        Assert.True((await EntityAsync(client, id)).GetProperty("ignored").GetBoolean());

        // Undone from the list of its edits: listed again, with exactly the counts it had.
        var edit = page.Locator(".edit-list .edit-item").First;
        await Assertions.Expect(edit).ToContainTextAsync("not an entity");
        await edit.Locator("[data-action=undo]").ClickAsync();
        await Assertions.Expect(page.Locator(".entity-edit .form-message.ok")).ToContainTextAsync("Undone");
        await Assertions.Expect(page.Locator(".ignored-notice")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".edit-list .edit-item.undone")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".entity-stories")).ToHaveTextAsync("2");
        Assert.True(await ListedAsync());
        Assert.Equal(before, await CountsAsync(client, id));

        // Ignored again, and made an entity again with the button the page offers meanwhile.
        await page.Locator("[data-action=ignore]").ClickAsync();
        await page.Locator("[data-action=unignore]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-action=ignore]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".ignored-notice")).ToHaveCountAsync(0);
        Assert.True(await ListedAsync());
        Assert.Equal(before, await CountsAsync(client, id));
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task Merge_into_an_entity_found_by_name_shows_the_target_with_the_summed_counts()
    {
        var (context, page, errors, client, twin) = await OpenEntityAsync("B. Johnson", "PERSON");
        await using var _ = context;
        using var __ = client;
        var target = await EntityIdAsync(client, "Boris Johnson", "PERSON");
        var (twinStories, twinMentions) = await CountsAsync(client, twin);
        var (targetStories, targetMentions) = await CountsAsync(client, target);
        Assert.Equal((2L, 3L), (twinStories, targetStories));
        // The target's page, saying which id was merged into it (and, some weeks after the fixture's dates, the window of its last mentions).
        var atMergedTarget = new Regex($@"#/entity/{target}\?(.*&)?merged={twin}(&|$)");

        await page.Locator("#merge-target").PressSequentiallyAsync("Boris J");
        var suggestion = page.Locator(".entity-edit .suggestion", new() { HasText = "Boris Johnson" });
        await suggestion.ClickAsync();
        var confirm = page.Locator(".entity-edit .confirm");
        await Assertions.Expect(confirm).ToContainTextAsync("Merge “B. Johnson” (2 stories) into “Boris Johnson” (Person, 3 stories)?");
        await confirm.Locator("[data-action=confirm-merge]").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(atMergedTarget);
        await Assertions.Expect(page.Locator("h1.entity-name")).ToHaveTextAsync("Boris Johnson");
        await Assertions.Expect(page.Locator(".merged-notice")).ToContainTextAsync($"Entity {twin} was merged into Boris Johnson");
        await Assertions.Expect(page.Locator(".entity-stories")).ToHaveTextAsync("5");
        Assert.Equal((targetStories + twinStories, targetMentions + twinMentions), await CountsAsync(client, target));
        Assert.Equal(target, (await EntityAsync(client, twin)).GetProperty("id").GetInt64());

        // A link to the merged id keeps working: the page follows the API's 308 and says so.
        await page.GotoAsync($"/#/entity/{twin}");
        await Assertions.Expect(page).ToHaveURLAsync(atMergedTarget);
        await Assertions.Expect(page.Locator("h1.entity-name")).ToHaveTextAsync("Boris Johnson");
        await Assertions.Expect(page.Locator(".merged-notice")).ToContainTextAsync($"Entity {twin} was merged");

        // Undone from the target's edits: both entities as they were.
        await page.Locator(".entity-edit > summary").ClickAsync();
        var merge = page.Locator(".edit-list .edit-item", new() { HasText = "Merged 'B. Johnson'" });
        await merge.Locator("[data-action=undo]").ClickAsync();
        await Assertions.Expect(page.Locator(".entity-edit .form-message.ok a", new() { HasText = "B. Johnson" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".entity-stories")).ToHaveTextAsync("3");
        Assert.Equal((targetStories, targetMentions), await CountsAsync(client, target));
        Assert.Equal((twinStories, twinMentions), await CountsAsync(client, twin));
        Assert.Equal(twin, (await EntityAsync(client, twin)).GetProperty("id").GetInt64());
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task Splitting_an_alias_off_makes_an_entity_with_its_mentions()
    {
        var (context, page, errors, client, id) = await OpenEntityAsync("Ngozi Okonjo-Iweala", "PERSON");
        await using var _ = context;
        using var __ = client;
        // One story names her in full; two by surname only, in the title and the text.
        Assert.Equal((3L, 5L), await CountsAsync(client, id));

        var alias = page.Locator(".alias-list li").Filter(new() { Has = page.Locator(".alias", new() { HasTextRegex = new Regex("^Okonjo-Iweala$") }) });
        await alias.Locator("[data-action=split]").ClickAsync();
        var made = page.Locator(".entity-edit .form-message.ok a");
        await Assertions.Expect(made).ToHaveTextAsync("Okonjo-Iweala");
        await Assertions.Expect(page.Locator(".entity-edit .form-message.ok")).ToContainTextAsync("(4 mentions in 2 stories)");
        await Assertions.Expect(page.Locator(".entity-stories")).ToHaveTextAsync("1");
        Assert.Equal((1L, 1L), await CountsAsync(client, id));
        var created = long.Parse(Regex.Match((await made.GetAttributeAsync("href"))!, @"#/entity/(\d+)$").Groups[1].Value);
        Assert.NotEqual(id, created);
        var split = await EntityAsync(client, created);
        Assert.Equal(("Okonjo-Iweala", 2L, 4L), (split.GetProperty("name").GetString(), split.GetProperty("stories").GetInt64(), split.GetProperty("mentions").GetInt64()));

        await made.ClickAsync();
        await Assertions.Expect(page.Locator("h1.entity-name")).ToHaveTextAsync("Okonjo-Iweala");
        await Assertions.Expect(page.Locator(".entity-stories")).ToHaveTextAsync("2");
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task Api_reference_works_without_the_internet()
    {
        var (context, page, _) = await OpenAsync("#/");
        await using var __ = context;
        var outside = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await context.RouteAsync("**/*", async route =>
        {
            if (new Uri(route.Request.Url).Host is "127.0.0.1" or "localhost") await route.ContinueAsync();
            else
            {
                outside.Enqueue(route.Request.Url);
                await route.AbortAsync();
            }
        });

        await page.GotoAsync("/docs/");

        // The document's description, rendered by the reference's own script.
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("News aggregation and entity tagging", new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("docs") });
        foreach (var needsTheInternet in new[] { "Ask AI", "Open API Client", "Generate MCP", "Generate SDKs" })
            Assert.Equal(0, await page.GetByText(needsTheInternet).CountAsync());
        Assert.Empty(outside);
    }
}

/// <summary>The dashboard's files are found by the in-process test host too (no browser needed).</summary>
public sealed class DashboardServingTests
{
    [Fact]
    public async Task Test_host_serves_the_dashboard_files()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();

        var index = await client.GetAsync("/");
        var script = await client.GetAsync("/app.js");
        var view = await client.GetAsync("/js/views/entity.js");
        var style = await client.GetAsync("/app.css");

        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", await index.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        // Modules load only with a JavaScript content type.
        Assert.Equal("text/javascript", view.Content.Headers.ContentType?.MediaType);
        Assert.Contains("export async function entityPage", await view.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, style.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/nothing-here")).StatusCode);
    }
}
