using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Aggregator.Core.Extraction;
using Aggregator.Tests.Support;

namespace Aggregator.Tests;

/// <summary>Markup built to crash or stall an HTML parser, or whatever walks its tree: nothing recurses on its depth.</summary>
public sealed class HostileMarkupTests
{
    private static string Repeat(string markup, int times) => new StringBuilder(markup.Length * times).Insert(0, markup, times).ToString();

    /// <summary>The markup again and again, "{0}" in it numbering the copies.</summary>
    private static string Numbered(string markup, int times) =>
        string.Concat(Enumerable.Range(0, times).Select(i => markup.Replace("{0}", i.ToString())));

    /// <summary>Runs the work on a thread with a small stack, as thread-pool threads have; a recursion over the depth overflows it.</summary>
    private static T OnSmallStack<T>(Func<T> work)
    {
        T result = default!;
        var thread = new Thread(() => result = work(), maxStackSize: 512 * 1024);
        thread.Start();
        thread.Join();
        return result;
    }

    [Fact]
    public void The_text_of_a_tree_nested_100000_deep_is_read_without_recursion()
    {
        // Built bottom-up through the DOM (no parser, no guard), on a big stack, so that only the walk is tested.
        IDocument document = null!;
        var build = new Thread(() =>
        {
            document = new HtmlParser().ParseDocument("<body></body>");
            INode node = document.CreateTextNode("Kabul");
            for (var i = 0; i < 100_000; i++)
            {
                var element = document.CreateElement(i % 1000 == 0 ? "div" : "b");
                element.AppendChild(node);
                node = element;
            }
            document.Body!.AppendChild(node);
        }, maxStackSize: 256 * 1024 * 1024);
        build.Start();
        build.Join();

        var text = OnSmallStack(() =>
        {
            var builder = new StringBuilder();
            HtmlText.AppendText(document.Body!, builder);
            return HtmlText.Normalize(builder.ToString());
        });

        Assert.Equal("Kabul", text);
    }

    [Theory]
    [InlineData("<span>")]
    [InlineData("<b>")]
    [InlineData("<div>")]
    public void A_fragment_nested_100000_deep_keeps_its_text(string tag)
    {
        var html = "<p>Talks in Doha</p>" + Repeat(tag, 100_000) + "Envoys met in <i>Kabul</i> &amp; Tashkent.<script>var x = '<b>';</script>";

        var text = OnSmallStack(() => HtmlText.ToPlainText(html));

        var paragraphBreak = tag == "<div>" ? "\n\n" : "\n"; // block tags start lines, as in the tree
        Assert.Equal($"Talks in Doha{paragraphBreak}Envoys met in Kabul & Tashkent.", text);
    }

    [Fact]
    public void Shallow_fragments_are_converted_as_before()
    {
        Assert.Equal("Title\n\nOne & two\n\nthree", HtmlText.ToPlainText("<h1>Title</h1><p>One &amp; <b>two</b></p><p>three<script>x()</script></p>"));
    }

    [Fact]
    public void An_article_page_nested_100000_deep_is_refused_before_parsing()
    {
        var html = "<html><body>" + Repeat("<span>", 100_000) + "<p>" + Repeat("Text of the story. ", 50) + "</p></body></html>";

        var error = OnSmallStack(() => Record.Exception(() => ArticleExtractor.Extract(html, new Uri("https://news.example.org/deep"))));

        Assert.IsType<MarkupLimitException>(error);
        Assert.Contains("more than 128 deep", error.Message);
    }

    [Fact]
    public void An_article_page_of_more_than_20000_elements_is_refused_before_parsing()
    {
        var html = "<html><body><article>" + Repeat("<p>A line.</p>", 20_001) + "</article></body></html>";

        var error = Assert.Throws<MarkupLimitException>(() => ArticleExtractor.Extract(html, new Uri("https://news.example.org/long")));

        Assert.Contains("more than 20,000 elements", error.Message);
    }

    /// <summary>Each shape nests deeper in a parser's tree with every repetition, though a naive count of tags would not say so.</summary>
    public static TheoryData<string, string, string> HostileShapes() => new()
    {
        { "", "<b>", "" },
        { "", "<div>", "" },
        { "", "<span></b>", "" },                          // stray end tags close nothing
        { "", "<b><div></b>", "" },                        // the adoption agency keeps the div open and moves on
        { "", "<p><b id={0}>x</p>", "" },                  // formatting elements closed by </p> are reopened
        { "", "<table><td>", "" },                         // tables insert tbody and tr
        { "", "<svg><b></svg>", "" },                      // b breaks out of svg and stays open
        { "", "<svg><foreignObject><div/>", "" },          // self-closing means nothing in HTML content
        { "<!-->", "<div>", "" },                          // a comment closed as it opens
        { "<a =\"x>", "<div>", "\">" },                    // a quote in an attribute name opens no value
        { "<svg><style>", "<div>", "</style></svg>" },     // no raw text inside svg
        { "<script>", "</script><div><script>", "" },      // script text ends at its first end tag
        { "", "<math><mi><div>", "" },
    };

    [Theory]
    [MemberData(nameof(HostileShapes))]
    public void Hostile_shapes_are_refused(string prefix, string repeated, string suffix)
    {
        var html = "<html><body>" + prefix + Numbered(repeated, 2_000) + "x" + suffix + "</body></html>";

        Assert.Contains("more than 128 deep", MarkupGuard.Check(html, MarkupLimits.Page));
    }

    /// <summary>The guard's promise: what passes it is no deeper in the parser's tree than about twice its count.</summary>
    [Theory]
    [MemberData(nameof(HostileShapes))]
    public void The_count_bounds_the_parsers_depth(string prefix, string repeated, string suffix)
    {
        for (var times = 1; times <= 40; times++)
        {
            var html = prefix + Numbered(repeated, times) + "x" + suffix;
            var counted = MarkupGuard.Measure(html, new MarkupLimits(int.MaxValue, int.MaxValue)).Depth;

            var depth = TreeDepth(new HtmlParser().ParseDocument(html).DocumentElement);

            Assert.True(depth <= 2 * counted + 4, $"{times} × {repeated}: the tree is {depth} deep, counted {counted}");
        }
    }

    public static TheoryData<string> OrdinaryPages() => new()
    {
        Fixtures.Read("pages/article.html"),
        Fixtures.ArticlePage("Talks resume", "Negotiators met again."),
        "<html><body><div>" + Repeat("<p>Paragraph without an end tag", 2_000) + "</div></body></html>",
        "<ul>" + Repeat("<li>Item without an end tag", 2_000) + "</ul>",
        "<table>" + Repeat("<tr><td>cell<td>cell", 2_000) + "</table>",
        "<dl>" + Repeat("<dt>term<dd>definition", 2_000) + "</dl>",
        "<select>" + Repeat("<option>choice", 2_000) + "</select>",
        Repeat("<a href=\"/x\"><svg viewBox=\"0 0 8 8\"><path d=\"M0 0h8\"/><circle r=\"2\"/></svg></a>", 2_000),
        Repeat("<p><b>bold</b> and <i>italic</i> <a href='/a?b=1&c=2'>link</a><br><img src=x.png></p>", 2_000),
        Repeat("<h2>Heading<h3>Sub</h3>", 2_000),
        Repeat("<script>document.write('<div><div><div>');</script><style>div > p { }</style><!-- <div><div> -->", 2_000),
    };

    [Theory]
    [MemberData(nameof(OrdinaryPages))]
    public void Ordinary_pages_pass(string html) => Assert.Null(MarkupGuard.Check(html, MarkupLimits.Page));

    private static int TreeDepth(INode root)
    {
        var deepest = 0;
        var pending = new Stack<(INode Node, int Depth)>([(root, 1)]);
        while (pending.TryPop(out var entry))
        {
            deepest = Math.Max(deepest, entry.Depth);
            foreach (var child in entry.Node.ChildNodes.OfType<IElement>()) pending.Push((child, entry.Depth + 1));
        }
        return deepest;
    }
}
