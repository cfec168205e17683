using System.Text;
using Aggregator.Core.Parsing;

namespace Aggregator.Tests.Languages;

/// <summary>Where each format declares a language, and that an entry's own declaration wins over its feed's.</summary>
public sealed class DeclaredLanguageParsingTests
{
    private static List<string?> Languages(string document) =>
        FeedParser.Parse(Encoding.UTF8.GetBytes(document), null, new Uri("http://example.org/feed")).Items.Select(i => i.Language).ToList();

    [Fact]
    public void Rss_channel_language_and_an_items_dublin_core_language()
    {
        var languages = Languages("""
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title><language>fr-FR</language>
            <item><guid>1</guid><title>Un</title></item>
            <item><guid>2</guid><title>Two</title><dc:language>en</dc:language></item>
            </channel></rss>
            """);

        Assert.Equal(["fr-FR", "en"], languages);
    }

    [Fact]
    public void Rss_1_0_channel_dublin_core_language()
    {
        var languages = Languages("""
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel rdf:about="http://example.org/"><title>R</title><link>http://example.org/</link><dc:language>de</dc:language></channel>
            <item rdf:about="http://example.org/r1"><title>Eins</title><link>http://example.org/r1</link></item></rdf:RDF>
            """);

        Assert.Equal(["de"], languages);
    }

    [Fact]
    public void Atom_xml_lang_is_inherited_from_the_feed_unless_the_entry_has_its_own()
    {
        var languages = Languages("""
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="es"><title>A</title>
            <entry><id>urn:1</id><title>Uno</title><updated>2026-11-28T09:30:00Z</updated></entry>
            <entry xml:lang="pt-BR"><id>urn:2</id><title>Dois</title><updated>2026-11-28T09:30:00Z</updated></entry>
            </feed>
            """);

        Assert.Equal(["es", "pt-BR"], languages);
    }

    [Fact]
    public void Json_feed_language_of_the_feed_and_of_an_item()
    {
        var languages = Languages("""
            {"version":"https://jsonfeed.org/version/1.1","title":"J","language":"it",
             "items":[{"id":"1","title":"Uno","content_text":"x"},{"id":"2","title":"Two","content_text":"y","language":"en-GB"}]}
            """);

        Assert.Equal(["it", "en-GB"], languages);
    }

    [Fact]
    public void A_feed_that_declares_nothing_leaves_the_language_unset()
    {
        Assert.Equal([null], Languages("""<rss version="2.0"><channel><title>T</title><language> </language><item><guid>1</guid><title>x</title></item></channel></rss>"""));
    }
}
