using AngleSharp.Dom;

namespace Aggregator.Core.Extraction;

/// <summary>
/// What an element's tag, landmark role and class/id names say about it: the general vocabulary pages use around
/// an article (navigation, sharing, related links, comments, newsletters, bylines), never one site's names.
/// </summary>
internal static class BoilerplateHints
{
    private static readonly HashSet<string> LandmarkTags = new(StringComparer.Ordinal) { "nav", "aside", "footer", "header", "menu" };

    private static readonly HashSet<string> LandmarkRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        "navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "toolbar", "dialog", "alertdialog", "tablist",
    };

    /// <summary>Class/id words (whole words of a name split at punctuation) that mark boilerplate.</summary>
    private static readonly HashSet<string> BoilerplateWords = new(StringComparer.Ordinal)
    {
        "ad", "ads", "adv", "advert", "advertisement", "tag", "tags", "nav", "menu", "meta", "more", "also", "rail", "print",
        "hidden", "skip", "crumbs", "login", "signin", "follow", "donate", "byline", "dateline", "timestamp", "date", "credit",
        "credits", "caption", "outbrain", "taboola", "disqus", "cookie", "cookies", "gdpr", "consent", "masthead", "banner",
        "nocontent", "noscript",
    };

    /// <summary>Word beginnings that mark boilerplate whatever follows ("sharebar", "related-articles", "comments").</summary>
    private static readonly string[] BoilerplatePrefixes =
    [
        "share", "sharing", "social", "related", "recommend", "newsletter", "subscri", "signup", "comment", "promo", "sponsor",
        "sidebar", "breadcrumb", "toolbar", "popup", "modal", "trending", "popular", "pagination", "copyright", "disclaimer",
        "footer", "widget", "teaser", "navbar", "navigation", "byline", "author", "tooltip", "popover", "hover", "rollover", "dropdown",
    ];

    private static readonly HashSet<string> ContentWords = new(StringComparer.Ordinal)
    {
        "article", "content", "entry", "post", "story", "body", "text", "main", "prose", "articlebody",
    };

    /// <summary>Embedded posts and quotes (a tweet quoted in the story) are article text, whatever else their names say.</summary>
    private static readonly string[] EmbedPrefixes = ["embed", "tweet", "quote"];

    public static ElementFlags Of(IElement element, string tag)
    {
        var flags = tag switch
        {
            "h1" or "h2" or "h3" or "h4" or "h5" or "h6" => ElementFlags.Heading,
            "figure" or "figcaption" => ElementFlags.Caption,
            "li" => ElementFlags.ListItem,
            "article" or "main" => ElementFlags.ContentHint,
            _ => ElementFlags.None,
        };
        if (LandmarkTags.Contains(tag)) flags |= ElementFlags.Landmark;
        if (element.GetAttribute("role") is { } role)
        {
            if (LandmarkRoles.Contains(role)) flags |= ElementFlags.Landmark;
            else if (role is "main" or "article") flags |= ElementFlags.ContentHint;
        }
        if (element.GetAttribute("itemprop") is { } itemprop && itemprop.Contains("articleBody", StringComparison.OrdinalIgnoreCase))
            flags |= ElementFlags.ArticleBodyMarkup | ElementFlags.ContentHint;
        flags |= OfNames(element.GetAttribute("class")) | OfNames(element.Id);
        return (flags & ElementFlags.Embed) != 0 ? flags & ~ElementFlags.BoilerplateName : flags;
    }

    private static ElementFlags OfNames(string? names)
    {
        if (string.IsNullOrEmpty(names)) return ElementFlags.None;
        var flags = ElementFlags.None;
        var span = names.AsSpan();
        var start = -1;
        for (var i = 0; i <= span.Length; i++)
        {
            var letter = i < span.Length && char.IsAsciiLetterOrDigit(span[i]);
            if (letter && start < 0) start = i;
            else if (!letter && start >= 0)
            {
                flags |= OfWord(span[start..i].ToString().ToLowerInvariant());
                start = -1;
            }
        }
        return flags;
    }

    private static ElementFlags OfWord(string word)
    {
        if (ContentWords.Contains(word)) return ElementFlags.ContentHint;
        foreach (var prefix in EmbedPrefixes)
            if (word.StartsWith(prefix, StringComparison.Ordinal)) return ElementFlags.Embed;
        if (BoilerplateWords.Contains(word)) return ElementFlags.BoilerplateName;
        foreach (var prefix in BoilerplatePrefixes)
            if (word.StartsWith(prefix, StringComparison.Ordinal)) return ElementFlags.BoilerplateName;
        return ElementFlags.None;
    }
}
