using System.Text;
using Aggregator.Core.Model;
using Aggregator.Core.Parsing;
using Aggregator.Tests.Support;

namespace Aggregator.Tests;

/// <summary>Text from every charset comes out in its own script, and Windows-1252 leaking into Unicode is mended.</summary>
public sealed class CharsetTests
{
    static CharsetTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Three news items written for these tests in each script, so the detector has a feed's worth of text.</summary>
    public static TheoryData<string, string[]> Legacy => new()
    {
        { "big5", ["台北市政府今天宣布新的交通計畫", "颱風接近東部海岸，氣象局發布海上警報", "立法院通過新的教育預算，學校將增加老師"] },
        { "gb2312", ["北京市政府今天宣布新的交通计划", "台风接近东部海岸，气象局发布海上警报", "人大通过新的教育预算，学校将增加老师"] },
        { "euc-jp", ["東京都は今日、新しい交通計画を発表しました", "台風が東の海岸に近づき、気象庁が警報を出しました", "国会は新しい教育予算を可決し、学校は先生を増やします"] },
        { "shift_jis", ["大阪市は今日、新しい交通計画を発表しました", "台風が南の海岸に近づき、気象庁が警報を出しました", "市議会は新しい予算を可決し、図書館を増やします"] },
        { "euc-kr", ["서울시는 오늘 새로운 교통 계획을 발표했습니다", "태풍이 동해안에 접근하면서 기상청이 경보를 발령했습니다", "국회는 새로운 교육 예산을 통과시켰고 학교는 교사를 늘립니다"] },
        { "koi8-r", ["Правительство Москвы объявило о новом транспортном плане", "Тайфун приближается к восточному побережью, объявлено штормовое предупреждение", "Парламент принял новый бюджет на образование и строительство школ"] },
        { "tis-620", ["รัฐบาลกรุงเทพมหานครประกาศแผนการจราจรใหม่ในวันนี้", "พายุไต้ฝุ่นกำลังเข้าใกล้ชายฝั่งตะวันออกของประเทศ", "รัฐสภาอนุมัติงบประมาณการศึกษาใหม่สำหรับโรงเรียน"] },
        { "windows-1255", ["עיריית תל אביב הודיעה היום על תוכנית תחבורה חדשה", "סערה מתקרבת לחוף המזרחי והשירות המטאורולוגי פרסם אזהרה", "הכנסת אישרה תקציב חינוך חדש ובתי הספר יקבלו מורים נוספים"] },
    };

    private static string Feed(string[] titles, string? declaration = null) =>
        (declaration ?? "") + "<rss version=\"2.0\"><channel><title>News</title><link>http://example.org/</link>" +
        string.Concat(titles.Select((t, i) => $"<item><guid>{i}</guid><title>{t}</title><description>{t}。 {t}.</description></item>")) +
        "</channel></rss>";

    [Theory]
    [MemberData(nameof(Legacy))]
    public void Undeclared_legacy_charsets_are_detected(string charset, string[] titles)
    {
        var bytes = Encoding.GetEncoding(charset).GetBytes(Feed(titles));

        var feed = FeedParser.Parse(bytes, null, null);

        Assert.Equal(titles, feed.Items.Select(i => i.Title));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("<?xml version=\"1.0\" encoding=\"utf-8\"?>")]
    public void One_stray_byte_leaves_a_utf8_feed_utf8(string? declaration)
    {
        string[] titles = ["Zürich café crème", "Kraków: Łódź – Gdańsk", "Straße in München"];
        var bytes = Encoding.UTF8.GetBytes(Feed(titles, declaration)).ToList();
        var afterChannelTitle = Encoding.UTF8.GetByteCount((declaration ?? "") + "<rss version=\"2.0\"><channel><title>News");
        bytes.Insert(afterChannelTitle, 0x92); // a Windows-1252 apostrophe in a UTF-8 document

        var feed = FeedParser.Parse(bytes.ToArray(), null, null);

        Assert.Equal("News’", feed.Title);
        Assert.Equal(titles, feed.Items.Select(i => i.Title));
    }

    [Fact]
    public void Cp1252_in_utf8_clothing_and_double_encoded_utf8_are_mended()
    {
        var feed = FeedParser.Parse(Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>T</title>" +
            "<item><guid>1</guid><title>It&#146;s &#147;done&#148; &#150; at last&#133;</title></item>" +
            "<item><guid>2</guid><title>Raw \u0093quotes\u0094 and \u0080 5</title></item>" +
            "<item><guid>3</guid><title>CafÃ© crÃ¨me in ZÃ¼rich â€“ itâ€™s here</title></item>" +
            "<item><guid>4</guid><title>Legit: São Paulo, Ångström, naïve Ü-Bahn</title></item>" +
            "</channel></rss>"), null, null);

        Assert.Equal(
            ["It’s “done” – at last…", "Raw “quotes” and € 5", "Café crème in Zürich – it’s here", "Legit: São Paulo, Ångström, naïve Ü-Bahn"],
            feed.Items.Select(i => i.Title));
        Assert.DoesNotContain(feed.Items, i => i.Title.Any(c => c is >= '\u0080' and <= '\u009F'));
    }

    [Fact]
    public void Html_pages_follow_the_whatwg_order_bom_http_charset_meta_then_detection()
    {
        const string text = "Москва и Санкт-Петербург договорились о новом железнодорожном сообщении между городами.";
        string Page(string head) => $"<!DOCTYPE html><html><head>{head}<title>Новости</title></head><body><p>{text}</p></body></html>";
        var cp1251 = Encoding.GetEncoding(1251);

        Assert.Contains(text, FeedText.DecodeHtml(cp1251.GetBytes(Page("<meta charset=\"windows-1251\">")), null));
        Assert.Contains(text, FeedText.DecodeHtml(cp1251.GetBytes(Page("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">")), null));
        Assert.Contains(text, FeedText.DecodeHtml(cp1251.GetBytes(Page("<!-- <meta charset=\"utf-8\"> --><meta charset=\"windows-1251\">")), null));
        Assert.Contains(text, FeedText.DecodeHtml(cp1251.GetBytes(Page("")), null)); // nothing declares it: detected
        Assert.Contains(text, FeedText.DecodeHtml(Encoding.GetEncoding("koi8-r").GetBytes(Page("<meta charset=\"windows-1251\">")), "koi8-r")); // HTTP before meta
        Assert.Contains(text, FeedText.DecodeHtml(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Page("<meta charset=\"windows-1251\">"))).ToArray(), "koi8-r")); // BOM first
    }

    [Fact]
    public async Task A_windows_1251_page_served_as_plain_text_html_is_stored_in_cyrillic()
    {
        await using var server = await LocalServer.StartAsync();
        await using var pipeline = await Pipeline.CreateAsync();
        const string body = "Москва и Санкт-Петербург договорились о новом железнодорожном сообщении между городами, сообщили в министерстве транспорта в понедельник.";
        var page = Fixtures.ArticlePage("Новый поезд между Москвой и Петербургом", body).Replace("<head>", "<head><meta charset=\"windows-1251\">");
        server.MapBytes("/article", Encoding.GetEncoding(1251).GetBytes(page), "text/html");
        server.MapContent("/feed", Fixtures.Rss("Новости", new Fixtures.Item("1", "Новый поезд", server.Url("/article"), "Кратко.")));
        var feed = await pipeline.AddFeedAsync(server.Url("/feed"));

        var report = await pipeline.PollAsync(feed);

        Assert.Equal(1, report.Stored);
        var story = (await pipeline.Stories.GetAsync((await pipeline.AllStoriesAsync())[0].Id))!;
        Assert.Equal(ExtractionStatus.Extracted, story.Extraction);
        Assert.Contains(body, story.Text);
        Assert.DoesNotContain("Ì", story.Text);
    }
}
