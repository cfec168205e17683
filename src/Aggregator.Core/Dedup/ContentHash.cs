using System.Security.Cryptography;
using System.Text;

namespace Aggregator.Core.Dedup;

/// <summary>
/// A fingerprint of what a story says, blind to case, punctuation and spacing, so that the same article carried
/// under two links (or two feeds) is recognised as one.
/// </summary>
public static class ContentHash
{
    public static string Of(string title, string text)
    {
        var builder = new StringBuilder(title.Length + text.Length);
        AppendWords(builder, title);
        builder.Append('|');
        AppendWords(builder, text);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    private static void AppendWords(StringBuilder builder, string text)
    {
        var space = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (space && builder.Length > 0) builder.Append(' ');
                builder.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else space = true;
        }
    }
}
