using System.Text;
using System.Text.RegularExpressions;

namespace Aggregator.Core.Parsing;

/// <summary>
/// Decodes a fetched document to text. The charset comes from the byte-order mark, then the HTTP header, then the
/// XML declaration; undeclared bytes that are not valid UTF-8 are read as Windows-1252 (a superset of Latin-1),
/// which is what such feeds almost always are.
/// </summary>
public static partial class FeedText
{
    static FeedText() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Decode(ReadOnlySpan<byte> bytes, string? headerCharset)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return Encoding.UTF8.GetString(bytes[3..]);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return Encoding.Unicode.GetString(bytes[2..]);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return Encoding.BigEndianUnicode.GetString(bytes[2..]);

        var declared = EncodingFor(headerCharset) ?? EncodingFor(DeclaredCharset(bytes));
        // A Western single-byte label on bytes that are valid UTF-8 with non-ASCII in them is a mislabel: UTF-8 is
        // vanishingly unlikely to happen by accident, so it wins.
        if (declared is not null && declared.CodePage != Encoding.UTF8.CodePage
            && !(IsWesternSingleByte(declared) && IsUtf8WithNonAscii(bytes)))
            return declared.GetString(bytes);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // Declared or assumed UTF-8 that is not: the usual culprit is Latin-1/Windows-1252 text.
            return Encoding.GetEncoding(1252).GetString(bytes);
        }
    }

    private static bool IsWesternSingleByte(Encoding encoding) => encoding.CodePage is 28591 or 1252 or 28605 or 20127;

    private static bool IsUtf8WithNonAscii(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Ascii.IsValid(bytes)) return false;
        try
        {
            StrictUtf8.GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static Encoding? EncodingFor(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset)) return null;
        // Unknown names throw ArgumentException, known but unsupported ones (utf-7) NotSupportedException.
        try { return Encoding.GetEncoding(charset.Trim().Trim('"', '\'')); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException) { return null; }
    }

    /// <summary>Says which declared charset (HTTP header, then XML declaration) could not be used, if one could not.</summary>
    public static string? UnusableCharsetNote(ReadOnlySpan<byte> bytes, string? headerCharset)
    {
        foreach (var declared in new[] { headerCharset, DeclaredCharset(bytes) })
            if (!string.IsNullOrWhiteSpace(declared) && EncodingFor(declared) is null)
                return $"The feed declares the encoding '{declared.Trim()}', which is not supported; it was read as UTF-8 (or Windows-1252).";
        return null;
    }

    private static string? DeclaredCharset(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.ASCII.GetString(bytes[..Math.Min(bytes.Length, 512)]);
        var match = XmlDeclarationEncoding().Match(head);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")]
    private static partial Regex XmlDeclarationEncoding();
}
