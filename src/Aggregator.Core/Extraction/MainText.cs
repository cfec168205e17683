using System.Text;

namespace Aggregator.Core.Extraction;

/// <summary>One paragraph of the page: the text between two block boundaries, with what it is made of.</summary>
internal sealed record Paragraph(int TokenStart, int Owner, string Text, int LinkChars, int Commas, ElementFlags Flags)
{
    public int Chars => Text.Length;
    public double LinkDensity => Chars == 0 ? 0 : (double)LinkChars / Chars;
}

/// <summary>How the main text was found.</summary>
internal enum MainTextPath { Block, ArticleMarkup, Paragraphs }

/// <summary>
/// The article's main text from a <see cref="PageModel"/>: boilerplate removed by structure, the main block chosen by
/// Readability's paragraph scoring, then cleaned paragraph by paragraph (link-dense lines, captions, repeated bodies,
/// bylines and date lines at the edges), with a fallback to the page's prose paragraphs when the block is implausible.
/// </summary>
internal sealed class MainText
{
    private readonly PageModel model;
    private readonly List<PageElement> elements;
    private readonly int[] chars;
    private readonly int[] linkChars;
    private readonly int[] elementChildren;
    private readonly bool[] removed;
    private readonly List<Paragraph> paragraphs;

    /// <summary>Ad and widget slots carry at most a label ("Advertisement", "Sponsored") beside their script.</summary>
    private const int AdLabelLength = 20;

    private MainText(PageModel model)
    {
        this.model = model;
        elements = model.Elements;
        var count = elements.Count;
        chars = new int[count];
        linkChars = new int[count];
        elementChildren = new int[count];
        removed = new bool[count];
        Measure();
        MarkRemoved();
        paragraphs = SplitParagraphs();
    }

    public static (string Text, MainTextPath Path) Extract(PageModel model, string? title)
    {
        if (model.Elements.Count == 0) return ("", MainTextPath.Block);
        var main = new MainText(model);
        var (ranges, path) = main.ChooseBlock(title);
        var text = main.Render(ranges, title);
        var length = text.Sum(p => p.Length);
        var isList = IsListOfLines(text);
        if (length < ArticleExtractor.MinimumTextLength || isList)
        {
            // Too short, or dates and links: the page's own prose paragraphs, when they make a better article.
            var prose = main.Render([0], title, proseOnly: true);
            var proseLength = prose.Sum(p => p.Length);
            if (proseLength > length || (isList && proseLength >= ArticleExtractor.MinimumTextLength))
                return (string.Join("\n\n", prose), MainTextPath.Paragraphs);
        }
        return (string.Join("\n\n", text), path);
    }

    /// <summary>Text and link characters of each subtree, summed child to parent in reverse document order.</summary>
    private void Measure()
    {
        foreach (var token in model.Tokens)
        {
            if (token.Kind != TokenKind.Text) continue;
            var visible = CountVisible(token.Text!);
            chars[token.Element] += visible;
            if ((elements[token.Element].Flags & ElementFlags.InLink) != 0) linkChars[token.Element] += visible;
        }
        for (var i = elements.Count - 1; i > 0; i--)
        {
            var parent = elements[i].Parent;
            chars[parent] += chars[i];
            linkChars[parent] += linkChars[i];
            elementChildren[parent]++;
        }
    }

    private static int CountVisible(string text)
    {
        var count = 0;
        foreach (var c in text)
            if (!char.IsWhiteSpace(c)) count++;
        return count;
    }

    /// <summary>
    /// Landmarks and boilerplate-named blocks go, unless one holds most of the page's own (non-link) text: a page
    /// wrapped whole in a "has-sidebar" layout or in a &lt;header&gt; must not lose its article. So do script slots
    /// with next to no text of their own.
    /// </summary>
    private void MarkRemoved()
    {
        var pageText = chars[0] - linkChars[0];
        var keepAncestorsOf = new bool[elements.Count];
        for (var i = elements.Count - 1; i > 0; i--)
        {
            if ((elements[i].Flags & ElementFlags.ArticleBodyMarkup) != 0) keepAncestorsOf[i] = true;
            if (keepAncestorsOf[i]) keepAncestorsOf[elements[i].Parent] = true;
        }
        for (var i = 1; i < elements.Count; i++)
        {
            var element = elements[i];
            if (removed[element.Parent]) removed[i] = true;
            else if ((element.Flags & (ElementFlags.Landmark | ElementFlags.BoilerplateName)) != 0 && !keepAncestorsOf[i])
                removed[i] = chars[i] - linkChars[i] < pageText / 2;
            else if ((element.Flags & ElementFlags.HostsCode) != 0)
                removed[i] = chars[i] <= AdLabelLength;
        }
    }

    private List<Paragraph> SplitParagraphs()
    {
        var result = new List<Paragraph>();
        var text = new StringBuilder();
        int start = -1, owner = -1, links = 0, commas = 0;
        var pendingSpace = false;
        var tokens = model.Tokens;
        for (var t = 0; t < tokens.Count; t++)
        {
            var token = tokens[t];
            if (token.Kind == TokenKind.Break)
            {
                Close();
                continue;
            }
            if (removed[token.Element]) continue;
            if (token.Kind == TokenKind.Space)
            {
                pendingSpace = text.Length > 0;
                continue;
            }
            var inLink = (elements[token.Element].Flags & ElementFlags.InLink) != 0;
            foreach (var c in token.Text!)
            {
                if (char.IsWhiteSpace(c))
                {
                    pendingSpace = text.Length > 0;
                    continue;
                }
                if (pendingSpace)
                {
                    text.Append(' ');
                    if (inLink) links++;
                    pendingSpace = false;
                }
                if (owner < 0)
                {
                    start = t;
                    owner = elements[token.Element].BlockOwner;
                }
                text.Append(c);
                if (inLink) links++;
                if (c is ',' or '،' or '，' or '、') commas++;
            }
        }
        Close();
        return result;

        void Close()
        {
            if (text.Length > 0)
                result.Add(new Paragraph(start, owner, text.ToString(), links, commas, owner >= 0 ? elements[owner].Flags : ElementFlags.None));
            text.Clear();
            owner = -1;
            links = commas = 0;
            pendingSpace = false;
        }
    }

    /// <summary>
    /// Readability's choice: each paragraph of 25+ characters scores its ancestors (less the further up), scores are
    /// discounted by link density, the best element wins, and its siblings that score well (or are clean prose) join it.
    /// An element marked up as the article body is taken as it is.
    /// </summary>
    private (List<int> Ranges, MainTextPath Path) ChooseBlock(string? title)
    {
        for (var i = 0; i < elements.Count; i++)
            if ((elements[i].Flags & ElementFlags.ArticleBodyMarkup) != 0 && !removed[i] && chars[i] - linkChars[i] >= ArticleExtractor.MinimumTextLength)
                return ([i], MainTextPath.ArticleMarkup);

        var scores = new double[elements.Count];
        var scored = new bool[elements.Count];
        foreach (var paragraph in paragraphs)
        {
            if (paragraph.Chars < 25 || (paragraph.Flags & ElementFlags.Caption) != 0) continue;
            var score = 2 + paragraph.Commas + Math.Min(paragraph.Chars / 100, 3);
            var ancestor = elements[paragraph.Owner].Parent;
            for (var level = 0; ancestor >= 0 && level < 5; level++, ancestor = elements[ancestor].Parent)
            {
                if (removed[ancestor]) continue;
                if (!scored[ancestor])
                {
                    scored[ancestor] = true;
                    scores[ancestor] = InitialScore(ancestor);
                }
                scores[ancestor] += score / (level == 0 ? 1.0 : level == 1 ? 2.0 : level * 3.0);
            }
        }
        var candidates = new List<int>();
        for (var i = 0; i < elements.Count; i++)
        {
            if (!scored[i]) continue;
            scores[i] *= 1 - LinkDensity(i);
            candidates.Add(i);
        }
        if (candidates.Count == 0) return ([0], MainTextPath.Block);
        candidates.Sort((a, b) => scores[b].CompareTo(scores[a]));
        var top = ClimbWhileParentScoresHigher(candidates[0], scores, scored);
        top = ClimbOverSplitBody(top);
        while (top > 0 && elements[top].Parent > 0 && elementChildren[elements[top].Parent] == 1) top = elements[top].Parent;
        var chosen = WithSiblings(top, scores, scored);
        return (TitledArticleWithin(chosen, title) is { } article ? [article] : chosen, MainTextPath.Block);
    }

    private double InitialScore(int i)
    {
        var element = elements[i];
        double score = element.Tag switch
        {
            "div" => 5,
            "pre" or "td" or "blockquote" => 3,
            "address" or "ol" or "ul" or "dl" or "dd" or "dt" or "li" or "form" => -3,
            "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "th" => -5,
            _ => 0,
        };
        if ((element.Flags & ElementFlags.ContentHint) != 0) score += 25;
        if ((element.Flags & ElementFlags.BoilerplateName) != 0) score -= 25;
        return score;
    }

    private double LinkDensity(int i) => chars[i] == 0 ? 0 : (double)linkChars[i] / chars[i];

    private bool IsAncestor(int ancestor, int descendant) => ancestor < descendant && descendant < elements[ancestor].End;

    /// <summary>
    /// An article body split into parts (between ads, figures or layout grids) is the nearest ancestor whose extra
    /// text, beyond the chosen part, is mostly prose: each ancestor is taken when what it adds is more prose than not.
    /// </summary>
    private int ClimbOverSplitBody(int top)
    {
        var prose = new int[elements.Count];
        var other = new int[elements.Count];
        foreach (var paragraph in paragraphs)
            (IsProse(paragraph) ? prose : other)[paragraph.Owner] += paragraph.Chars;
        for (var i = elements.Count - 1; i > 0; i--)
        {
            prose[elements[i].Parent] += prose[i];
            other[elements[i].Parent] += other[i];
        }
        for (var ancestor = elements[top].Parent; ancestor >= 0; ancestor = elements[ancestor].Parent)
        {
            var extraProse = prose[ancestor] - prose[top];
            if (extraProse > 0 && extraProse >= other[ancestor] - other[top]) top = ancestor;
        }
        return top;
    }

    /// <summary>
    /// A block holding several &lt;article&gt; elements is a story followed by teasers of others: the story is the
    /// article whose heading is the page's title.
    /// </summary>
    private int? TitledArticleWithin(List<int> chosen, string? title)
    {
        var articles = new List<int>();
        foreach (var root in chosen)
        {
            for (var i = root; i < elements[root].End; i++)
            {
                if (elements[i].Tag != "article") continue;
                articles.Add(i);
                i = elements[i].End - 1;
            }
        }
        if (articles.Count < 2) return null;
        foreach (var paragraph in paragraphs)
        {
            if (paragraph.TokenStart >= elements[articles[^1]].TokenEnd) break;
            if (paragraph.TokenStart >= elements[articles[0]].TokenStart && IsTitle(paragraph, title))
                return articles.Where(a => IsAncestor(a, paragraph.Owner)).Select(a => (int?)a).FirstOrDefault();
        }
        return null;
    }

    /// <summary>A sentence-ended paragraph of some length that is not mostly links, a caption or an excerpt cut short.</summary>
    private static bool IsProse(Paragraph paragraph) =>
        paragraph.Chars >= 60 && paragraph.LinkDensity < 0.3 && (paragraph.Flags & (ElementFlags.Caption | ElementFlags.Heading)) == 0 &&
        EndsLikeSentence(paragraph.Text) && !paragraph.Text.EndsWith("...", StringComparison.Ordinal) && !paragraph.Text.EndsWith('…');

    private int ClimbWhileParentScoresHigher(int top, double[] scores, bool[] scored)
    {
        var last = scores[top];
        var threshold = last / 3;
        for (var parent = elements[top].Parent; parent > 0; parent = elements[parent].Parent)
        {
            if (!scored[parent]) continue;
            if (scores[parent] < threshold) break;
            if (scores[parent] > last) return parent;
            last = scores[parent];
        }
        return top;
    }

    private List<int> WithSiblings(int top, double[] scores, bool[] scored)
    {
        var parent = elements[top].Parent;
        if (parent < 0) return [top];
        var threshold = Math.Max(10, scores[top] * 0.2);
        var result = new List<int>();
        for (var sibling = parent + 1; sibling < elements[parent].End; sibling = elements[sibling].End)
        {
            if (sibling == top || (!removed[sibling] && scored[sibling] && scores[sibling] >= threshold)) result.Add(sibling);
            else if (!removed[sibling] && elements[sibling].Tag == "p" && chars[sibling] > 0)
            {
                var density = LinkDensity(sibling);
                if ((chars[sibling] > 70 && density < 0.25) || (density == 0 && EndsLikeSentence(ParagraphAt(sibling)?.Text))) result.Add(sibling);
            }
        }
        return result;
    }

    /// <summary>The first paragraph that starts inside the element (paragraphs are in document order).</summary>
    private Paragraph? ParagraphAt(int element)
    {
        int low = 0, high = paragraphs.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (paragraphs[middle].TokenStart < elements[element].TokenStart) low = middle + 1;
            else high = middle;
        }
        return low < paragraphs.Count && paragraphs[low].TokenStart < elements[element].TokenEnd ? paragraphs[low] : null;
    }

    /// <summary>The paragraphs inside the chosen elements, less what is about the article rather than of it.</summary>
    private List<string> Render(List<int> ranges, string? title, bool proseOnly = false)
    {
        var kept = new List<Paragraph>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rangeIndex = 0;
        foreach (var paragraph in paragraphs)
        {
            while (rangeIndex < ranges.Count && paragraph.TokenStart >= elements[ranges[rangeIndex]].TokenEnd) rangeIndex++;
            if (rangeIndex == ranges.Count) break;
            if (paragraph.TokenStart < elements[ranges[rangeIndex]].TokenStart) continue;
            if ((paragraph.Flags & ElementFlags.Caption) != 0) continue;
            if (proseOnly && (paragraph.Chars < 40 || paragraph.LinkDensity > 0.25 || !EndsLikeSentence(paragraph.Text))) continue;
            if (IsTitle(paragraph, title)) continue;
            // A body given twice (a mobile and a desktop copy, a repeated pull quote) is kept once.
            if (paragraph.Chars >= 20 && !seen.Add(paragraph.Text)) continue;
            kept.Add(paragraph);
        }
        DropLinkLists(kept);
        TrimEdges(kept);
        return kept.Select(p => p.Text).ToList();
    }

    /// <summary>
    /// Lines that are mostly links are lists of other pages (related, more, tags) when they come in runs, shout in
    /// capitals or follow a label ("Related: ..."); one on its own between sentences is a link the story gives (a
    /// product, a source) and stays.
    /// </summary>
    private static void DropLinkLists(List<Paragraph> kept)
    {
        var linky = kept.Select(p => p.LinkDensity > 0.5).ToArray();
        var index = 0;
        kept.RemoveAll(p =>
        {
            var i = index++;
            return linky[i] && ((i > 0 && linky[i - 1]) || (i + 1 < linky.Length && linky[i + 1]) || IsShouting(p.Text) || IsLabelledLink(p));
        });
    }

    /// <summary>A link after a short label of its own: all the text that is not link comes before a colon near the start.</summary>
    private static bool IsLabelledLink(Paragraph paragraph)
    {
        var colon = paragraph.Text.IndexOf(": ", StringComparison.Ordinal);
        var label = paragraph.Chars - paragraph.LinkChars;
        return colon is > 0 and < 30 && label > colon / 2 && label <= colon + 2;
    }

    private static bool IsShouting(string text)
    {
        int letters = 0, upper = 0;
        foreach (var c in text)
        {
            if (!char.IsLetter(c)) continue;
            letters++;
            if (char.IsUpper(c)) upper++;
        }
        return letters >= 10 && upper >= letters * 0.7;
    }

    /// <summary>A heading with the title's words (a title may add the site's name, or spell "…" as "...").</summary>
    private static bool IsTitle(Paragraph paragraph, string? title)
    {
        if ((paragraph.Flags & ElementFlags.Heading) == 0 || title is null) return false;
        var heading = string.Join(' ', Words.Of(paragraph.Text));
        var titleWords = string.Join(' ', Words.Of(title));
        return heading.Length > 0 && (($" {titleWords} ").Contains($" {heading} ", StringComparison.Ordinal) || ($" {heading} ").Contains($" {titleWords} ", StringComparison.Ordinal));
    }

    /// <summary>
    /// Before the first sentence, short lines are bylines, dates and kickers; after the last, headings, links and
    /// labels of a few words are tags, share prompts and the titles of lists that were dropped.
    /// </summary>
    private static void TrimEdges(List<Paragraph> kept)
    {
        while (kept.Count > 0 && (IsEdgeLabel(kept[0]) || kept[0].Chars < 80 && !EndsLikeSentence(kept[0].Text))) kept.RemoveAt(0);
        while (kept.Count > 0 && (IsEdgeLabel(kept[^1]) || kept[^1].Chars < 80 && !EndsLikeSentence(kept[^1].Text) && kept[^1].Text.Count(c => c == ' ') < 4))
            kept.RemoveAt(kept.Count - 1);
    }

    private static bool IsEdgeLabel(Paragraph paragraph) => (paragraph.Flags & ElementFlags.Heading) != 0 || paragraph.LinkDensity > 0.5;

    private static bool EndsLikeSentence(string? text)
    {
        if (string.IsNullOrEmpty(text)) return false;
        var last = text[^1];
        return last is '.' or '!' or '?' or '…' or '"' or '”' or '’' or '»' or ')' or '。' or '！' or '？' or ':' or ';';
    }

    /// <summary>Mostly short lines (dates, times, links, labels) rather than paragraphs.</summary>
    private static bool IsListOfLines(List<string> text)
    {
        var total = text.Sum(p => p.Length);
        var lines = text.Where(p => p.Length < 80).Sum(p => p.Length);
        return text.Count >= 5 && lines > total * 2 / 3;
    }
}
