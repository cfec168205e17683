using System.Globalization;
using System.Text;

namespace Aggregator.Core.Entities;

/// <summary>
/// The form in which two names of entities are the same name: case, diacritics, dots, hyphens, curly apostrophes and
/// a leading "the" make no difference ("Côte d'Ivoire" = "cote d’ivoire", "U.S." = "US", "Akufo-Addo" = "Akufo Addo",
/// "The Guardian" = "Guardian"). Computed here, once, for both storage providers, so that they compare alike.
/// </summary>
public static class EntityKey
{
    public static string Of(string name)
    {
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var key = new StringBuilder(decomposed.Length);
        var gap = false;
        foreach (var c in decomposed)
        {
            switch (CharUnicodeInfo.GetUnicodeCategory(c))
            {
                case UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark:
                    continue;
                case UnicodeCategory.SpaceSeparator or UnicodeCategory.Control or UnicodeCategory.DashPunctuation or UnicodeCategory.ConnectorPunctuation:
                    gap = key.Length > 0;
                    continue;
            }
            if (c == '.') continue;
            if (gap) key.Append(' ');
            gap = false;
            AppendFolded(key, c);
        }
        var folded = key.ToString();
        return folded.StartsWith("the ", StringComparison.Ordinal) ? folded[4..] : folded;
    }

    /// <summary>The words of a key.</summary>
    public static string[] Words(string key) => key.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Letters that do not decompose into a base letter and a mark, and typographic apostrophes.</summary>
    private static void AppendFolded(StringBuilder key, char c)
    {
        switch (c)
        {
            case '’' or '‘' or 'ʼ' or '`' or '´': key.Append('\''); break;
            case 'ł' or 'Ł': key.Append('l'); break;
            case 'ø' or 'Ø': key.Append('o'); break;
            case 'đ' or 'Đ': key.Append('d'); break;
            case 'ı': key.Append('i'); break;
            case 'ß': key.Append("ss"); break;
            case 'æ' or 'Æ': key.Append("ae"); break;
            case 'œ' or 'Œ': key.Append("oe"); break;
            case 'þ' or 'Þ': key.Append("th"); break;
            default: key.Append(char.ToLowerInvariant(c)); break;
        }
    }
}
