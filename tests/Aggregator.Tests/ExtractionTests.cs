using System.Text;
using Aggregator.Core.Extraction;
using Aggregator.Core.Model;
using Aggregator.Tests.Support;

namespace Aggregator.Tests;

/// <summary>What extraction keeps and drops on pages written in the shapes real article pages take.</summary>
public class ExtractionTests
{
    private static readonly Uri Url = new("https://news.example.org/story");

    private static ExtractedArticle ExtractFixture(string name) => ArticleExtractor.Extract(Fixtures.Read($"pages/{name}"), Url);

    private static string[] Paragraphs(ExtractedArticle article) => article.Text.Split("\n\n");

    [Fact]
    public void Keeps_the_story_and_drops_navigation_bylines_dates_captions_tags_related_lists_comments_and_footers()
    {
        var article = ExtractFixture("boilerplate.html");

        Assert.Equal(ExtractionStatus.Extracted, article.Path);
        var paragraphs = Paragraphs(article);
        Assert.Equal(5, paragraphs.Length);
        Assert.StartsWith("The harbour bridge reopened to traffic", paragraphs[0]);
        Assert.StartsWith("Cyclists will have a separate lane", paragraphs[^1]);
        foreach (var dropped in new[] { "Harbour bridge reopens", "By Maria", "PUBLISHED", "Share on", "Photo:", "Tags", "You may also like", "ferry timetable",
                                        "Comments are closed", "Most popular", "morning briefing", "About us", "All rights reserved", "Home" })
            Assert.DoesNotContain(dropped, article.Text);
        Assert.Equal("Harbour bridge reopens after repairs", article.Title);
        Assert.Equal("Maria Lindqvist", article.Byline);
        Assert.Equal(new DateTimeOffset(2026, 10, 2, 6, 30, 0, TimeSpan.Zero), article.Published);
    }

    [Fact]
    public void A_body_given_twice_is_kept_once()
    {
        var paragraphs = Paragraphs(ExtractFixture("duplicated-body.html"));

        Assert.Equal(3, paragraphs.Length);
        Assert.Equal(3, paragraphs.Distinct().Count());
    }

    [Fact]
    public void A_whole_json_ld_body_in_the_page_words_is_the_text()
    {
        var article = ExtractFixture("structured-body.html");

        Assert.Equal(ExtractionStatus.StructuredData, article.Path);
        Assert.Equal(3, Paragraphs(article).Length);
        Assert.DoesNotContain("Subscribe today", article.Text);
        Assert.Equal("Ada Okafor", article.Byline);
        Assert.Equal(new DateTimeOffset(2026, 9, 14, 7, 0, 0, TimeSpan.Zero), article.Published);
    }

    [Fact]
    public void A_json_ld_excerpt_or_a_body_foreign_to_the_page_is_not_the_text()
    {
        var page = Fixtures.Read("pages/boilerplate.html");
        var story = ArticleExtractor.Extract(page, Url).Text;
        var excerpt = story[..story.IndexOf("Local businesses", StringComparison.Ordinal)].Trim();
        const string foreign = "A completely different story about mountain railways, alpine tunnels and the engineers who bored them through granite over many decades of hard work.";

        foreach (var body in new[] { excerpt, foreign + " " + foreign })
        {
            var script = $$"""<script type="application/ld+json">{"@type": "NewsArticle", "articleBody": "{{body.Replace("\"", "\\\"").Replace("\n", "\\n")}}"}</script>""";
            var article = ArticleExtractor.Extract(page.Replace("</head>", script + "</head>"), Url);

            Assert.Equal(ExtractionStatus.Extracted, article.Path);
            Assert.Equal(story, article.Text);
        }
    }

    [Fact]
    public void Of_several_json_ld_articles_the_one_about_this_page_gives_the_body()
    {
        const string promotion = "Subscribe today and get your first three months of the Town Crier at half price, with free delivery to your door.";
        var other = $$"""{"@type": "NewsArticle", "url": "https://news.example.org/subscribe", "headline": "Subscribe", "articleBody": "{{promotion}} {{promotion}} {{promotion}} {{promotion}}"},""";
        var page = Fixtures.Read("pages/structured-body.html")
            .Replace("{\"@type\": \"NewsArticle\", \"headline\"", other + "{\"@type\": \"NewsArticle\", \"url\": \"https://news.example.org/story/\", \"headline\"");

        var article = ArticleExtractor.Extract(page, Url);

        Assert.Equal(ExtractionStatus.StructuredData, article.Path);
        Assert.StartsWith("The central library will open", article.Text);
        Assert.DoesNotContain("Subscribe today", article.Text);
        Assert.Equal("Library extends opening hours", article.Title);
    }

    [Fact]
    public void The_element_marked_up_as_the_article_body_is_taken_and_cleaned()
    {
        var page = Fixtures.Read("pages/boilerplate.html").Replace("<div class=\"story-body\">", "<div class=\"story-body\" itemprop=\"articleBody\">");

        var article = ArticleExtractor.Extract(page, Url);

        Assert.Equal(ExtractionStatus.ArticleMarkup, article.Path);
        Assert.Equal(5, Paragraphs(article).Length);
        Assert.DoesNotContain("Photo:", article.Text);
    }

    [Fact]
    public void A_list_of_dates_is_passed_over_for_the_story()
    {
        var article = ExtractFixture("date-list.html");

        Assert.Equal(2, Paragraphs(article).Length);
        Assert.StartsWith("Ferry crews voted", article.Text);
        Assert.DoesNotContain("March 2026", article.Text);
    }

    [Fact]
    public void A_block_too_short_to_be_the_article_gives_way_to_the_pages_prose()
    {
        var article = ExtractFixture("bare-text.html");

        Assert.Equal(ExtractionStatus.PageParagraphs, article.Path);
        Assert.StartsWith("O posto de saúde do bairro Centro voltou a atender", article.Text);
        Assert.EndsWith("das sete às dezenove horas.", article.Text);
        Assert.DoesNotContain("Rua das Flores", article.Text);
    }

    [Fact]
    public void A_body_split_across_layout_blocks_is_kept_whole()
    {
        var article = ExtractFixture("split-body.html");

        var paragraphs = Paragraphs(article);
        Assert.Equal(5, paragraphs.Length);
        Assert.StartsWith("Astronomers at the mountain observatory", paragraphs[0]);
        Assert.StartsWith("The observatory will hold an open evening", paragraphs[^1]);
        Assert.DoesNotContain("Advertisement", article.Text);
        Assert.DoesNotContain("survey images", article.Text);
    }

    [Fact]
    public void Of_several_articles_the_one_under_the_title_is_the_story()
    {
        var article = ExtractFixture("teasers.html");

        Assert.Equal(2, Paragraphs(article).Length);
        Assert.StartsWith("For twenty years", article.Text);
        Assert.DoesNotContain("compost", article.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_link_the_story_gives_stays_while_runs_of_links_labelled_links_and_shouted_promotions_go()
    {
        var article = ArticleExtractor.Extract(Page("""
            <article>
              <p>The museum reopened its east wing on Saturday with a show of early photographs of the city, many never exhibited before.</p>
              <p><a href="/book">The exhibition catalogue</a></p>
              <p>Curators spent two years restoring the prints, some of which had been stored in damp cellars since the war ended.</p>
              <p><a href="/promo">GET OUR WEEKEND GUIDE BY CLICKING HERE</a></p>
              <p>Entry is free for residents on the first Sunday of every month, the museum said in a statement on Friday.</p>
              <p>Related: <a href="/z">Council votes on the new arts budget</a></p>
              <p>Tickets for the evening openings go on sale next week, with a limit of four per visitor to keep the queues short.</p>
              <p><a href="/x">Another story about the harbour</a></p>
              <p><a href="/y">Yet another story about the trams</a></p>
              <p>Guided tours in four languages start next week and can be booked online or at the front desk of the museum.</p>
            </article>
            """), Url);

        Assert.Contains("The exhibition catalogue", article.Text);
        Assert.DoesNotContain("WEEKEND GUIDE", article.Text);
        Assert.DoesNotContain("Another story", article.Text);
        Assert.DoesNotContain("Yet another", article.Text);
        Assert.DoesNotContain("arts budget", article.Text);
        Assert.Equal(6, Paragraphs(article).Length);
    }

    [Fact]
    public void Hidden_elements_and_hover_cards_are_not_text_and_table_cells_keep_apart()
    {
        var article = ArticleExtractor.Extract(Page("""
            <article>
              <p>The minister <span class="person-tooltip"><a href="/p/1">Jane Roe</a><span><a href="/s/1">Every story about her</a></span></span> said on Monday that the tax would be cut.</p>
              <p>Markets rose after the announcement, with the main index closing at its highest level since the spring.</p>
              <p hidden>Hidden text one.</p><p aria-hidden="true">Hidden text two.</p><p style="display: none">Hidden text three.</p>
              <table><tr><td>Index</td><td>Close</td></tr><tr><td>Main</td><td>7,412</td></tr></table>
              <p>Economists said the cut would cost the treasury about two billion a year, to be made up by lower spending elsewhere.</p>
            </article>
            """), Url);

        Assert.StartsWith("The minister said on Monday that the tax would be cut.", article.Text);
        Assert.DoesNotContain("Hidden text", article.Text);
        Assert.Contains("Index Close", article.Text);
        Assert.Contains("Main 7,412", article.Text);
    }

    [Fact]
    public void Ad_slots_and_notes_for_browsers_without_scripts_are_not_text()
    {
        var article = ArticleExtractor.Extract(Page("""
            <article>
              <p>The regional airline will fly twice a day to the capital from April, restoring a route it dropped three years ago.</p>
              <div class="x7Qz"><center><span>Advertisement</span><br><script>window.slots = [];</script></center></div>
              <p>Tickets go on sale on Monday, and the first flights are already more than half full, the airline said.</p>
              <p class="gallery-noscript">This gallery needs JavaScript.</p>
              <p>The route had been cut when fuel prices rose, and local businesses had campaigned for its return ever since.</p>
            </article>
            """), Url);

        Assert.Equal(3, Paragraphs(article).Length);
        Assert.DoesNotContain("Advertisement", article.Text);
        Assert.DoesNotContain("JavaScript", article.Text);
    }

    [Fact]
    public void An_embedded_post_quoted_in_the_story_is_kept()
    {
        var article = ArticleExtractor.Extract(Page("""
            <article>
              <p>The mayor announced the new cycle lanes in a post on Tuesday morning, drawing hundreds of replies within the hour.</p>
              <div class="social-embed"><blockquote class="tweet"><p>Twelve new kilometres of protected lanes, open by June.</p></blockquote></div>
              <p>Shop owners on the high street said they feared losing parking spaces, while cycling groups welcomed the plan.</p>
            </article>
            """), Url);

        Assert.Contains("Twelve new kilometres of protected lanes", article.Text);
    }

    [Fact]
    public void Pages_nested_deeper_than_any_stack_are_walked_without_recursion()
    {
        // MarkupGuard refuses such a page before extraction; the walk must not depend on it.
        const int depth = 20_000;
        var html = new StringBuilder("<html><body><article><p>A short story above a deep pile of nested inline elements.</p>");
        for (var i = 0; i < depth; i++) html.Append("<span>");
        html.Append("deep text");
        using var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html.ToString());

        var page = PageModel.Build(document);
        var (text, _) = MainText.Extract(page, title: null);

        Assert.Equal(depth + 3, page.Elements.Count); // body, article, p and the spans
        Assert.Contains("deep text", string.Concat(page.Texts()));
        Assert.StartsWith("A short story", text);
    }

    private static string Page(string body) => $"<!DOCTYPE html><html><head><title>Test page</title></head><body><nav><a href=\"/\">Home</a></nav>{body}<footer>Footer</footer></body></html>";
}
