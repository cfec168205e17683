using System.Security.Cryptography;
using System.Text;
using Aggregator.Core.Parsing;

namespace Aggregator.Core.Dedup;

/// <summary>One distinct item of a feed document, with what identifies it.</summary>
/// <param name="Key">Its identity within the feed: the GUID, or the GUID with its link when the feed reuses that GUID for other items.</param>
/// <param name="Link">Its canonical link, with the fragment when that is what tells it from the feed's other items.</param>
/// <param name="LinkIdentifies">Whether the link is this item's alone in the document, so that a story found under it (in any feed) is this item.</param>
public sealed record IdentifiedItem(ParsedItem Item, string Key, string? Link, bool LinkIdentifies);

/// <summary>What <see cref="ItemIdentity.Of"/> made of a document's items.</summary>
/// <param name="Items">The distinct items, in document order.</param>
/// <param name="Repeats">Items listed again (same GUID and the same title or link as an earlier one).</param>
/// <param name="Empty">Items with nothing to store nor to tell them apart by.</param>
public sealed record DocumentItems(IReadOnlyList<IdentifiedItem> Items, IReadOnlyList<ParsedItem> Repeats, IReadOnlyList<ParsedItem> Empty);

/// <summary>
/// Within one feed, the GUID is an item's identity; but feeds reuse GUIDs for different posts, and several of their
/// items may share one link (a podcast's episodes all linking to the show's home page, a blog's posts of one day at
/// day.html#a1 and day.html#a2). This decides, over the whole document, which items are distinct and what identifies each.
/// </summary>
public static class ItemIdentity
{
    public static DocumentItems Of(IReadOnlyList<ParsedItem> items)
    {
        var empty = items.Where(i => i.IsEmpty).ToList();
        var distinct = new List<int>();
        var repeats = new List<ParsedItem>();
        var reused = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in Enumerable.Range(0, items.Count).Where(i => !items[i].IsEmpty).GroupBy(i => items[i].Guid, StringComparer.Ordinal))
        {
            // Same GUID: the same item unless both its title and its link (or, without links, its title) differ from
            // every earlier one's.
            var kept = new List<int>();
            foreach (var index in group)
            {
                var item = items[index];
                if (kept.Any(k => items[k].Title == item.Title || (item.Link is not null && Base(items[k].Link) == Base(item.Link)))) repeats.Add(item);
                else kept.Add(index);
            }
            if (kept.Count > 1) reused.Add(group.Key);
            distinct.AddRange(kept);
        }
        distinct.Sort();

        var links = LinksOf(items, distinct);
        var identified = distinct.Select(index =>
        {
            var item = items[index];
            var (link, identifies) = links[index];
            var key = reused.Contains(item.Guid) ? $"{item.Guid} {link ?? ContentKey(item)}" : item.Guid;
            return new IdentifiedItem(item, key, link, identifies);
        }).ToList();
        return new DocumentItems(identified, repeats, empty);
    }

    /// <summary>
    /// Each item's canonical link: without its fragment, unless several items share the rest of it and the fragments
    /// tell them apart. A link that several items still share identifies none of them.
    /// </summary>
    private static Dictionary<int, (string? Link, bool Identifies)> LinksOf(IReadOnlyList<ParsedItem> items, IReadOnlyList<int> distinct)
    {
        var result = new Dictionary<int, (string?, bool)>();
        foreach (var group in distinct.GroupBy(i => Base(items[i].Link) ?? ""))
        {
            var members = group.ToList();
            if (group.Key.Length == 0)
            {
                foreach (var index in members) result[index] = (null, false);
                continue;
            }
            if (members.Count == 1)
            {
                result[members[0]] = (group.Key, true);
                continue;
            }
            var full = members.ToDictionary(m => m, m => CanonicalLink.From(items[m].Link, keepFragment: true)!);
            foreach (var index in members)
                result[index] = (full[index], members.Count(m => full[m] == full[index]) == 1);
        }
        return result;
    }

    private static string? Base(string? link) => CanonicalLink.From(link);

    private static string ContentKey(ParsedItem item) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(item.Title + "\n" + item.Summary + "\n" + item.Content)))[..32];
}
