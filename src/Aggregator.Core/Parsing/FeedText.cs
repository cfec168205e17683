using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using UtfUnknown;

namespace Aggregator.Core.Parsing;

/// <summary>
/// Decodes fetched documents to text. What declares a charset comes first: the byte-order mark, then the HTTP
/// header, then the document's own declaration (the XML declaration of a feed; the &lt;meta&gt; prescan of the first
/// 1024 bytes of an HTML page, as WHATWG's sniffing does). Undeclared bytes are decided per document: valid UTF-8 is
/// UTF-8; mostly valid UTF-8 stays UTF-8 with the stray bytes read as Windows-1252; anything else goes to a charset
/// detector (UTF.Unknown), so Big5, EUC-JP, KOI8-R, Shift_JIS and the like come out in their own script.
/// </summary>
public static partial class FeedText
{
    static FeedText() => _ = Charsets.Windows1252; // registers the code pages, which the detector's answers need

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Below this the detector's guess is no better than Windows-1252, what undeclared Western text usually is.</summary>
    private const float MinimumConfidence = 0.3f;

    /// <summary>A feed (XML or JSON): BOM, HTTP charset, XML declaration, then the bytes themselves.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string? headerCharset) => Decode(bytes, headerCharset, XmlDeclaredCharset);

    /// <summary>An HTML page: BOM, HTTP charset, &lt;meta charset&gt; in the first 1024 bytes, then the bytes themselves.</summary>
    public static string DecodeHtml(ReadOnlySpan<byte> bytes, string? headerCharset) => Decode(bytes, headerCharset, MetaCharset);

    private delegate string? DeclaredCharset(ReadOnlySpan<byte> bytes);

    private static string Decode(ReadOnlySpan<byte> bytes, string? headerCharset, DeclaredCharset declaredCharset)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return Encoding.UTF8.GetString(bytes[3..]);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return Encoding.Unicode.GetString(bytes[2..]);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return Encoding.BigEndianUnicode.GetString(bytes[2..]);

        var declared = EncodingFor(headerCharset) ?? EncodingFor(declaredCharset(bytes));
        // UTF-16 without a byte-order mark cannot have been read as ASCII to find the label: the label is wrong.
        if (declared is not null && declared.CodePage is not (65001 or 1200 or 1201)
            // A single-byte label on bytes that are valid UTF-8 with non-ASCII in them is a mislabel: UTF-8 is
            // vanishingly unlikely to happen by accident, so it wins.
            && !(declared.IsSingleByte && IsUtf8WithNonAscii(bytes)))
            return declared.GetString(bytes);
        return Undeclared(bytes);
    }

    /// <summary>Bytes no label describes (or a UTF-8 label that does not hold), decided by what they are.</summary>
    private static string Undeclared(ReadOnlySpan<byte> bytes)
    {
        var (valid, invalid) = CountUtf8(bytes);
        if (invalid == 0) return Encoding.UTF8.GetString(bytes);
        // One stray byte in a UTF-8 document is a slip, not a reason to read the whole document in another charset.
        if (valid >= invalid) return Utf8WithStrayBytes(bytes);
        var detected = CharsetDetector.DetectFromBytes(bytes.ToArray()).Detected;
        if (detected?.Encoding is { } encoding && detected.Confidence >= MinimumConfidence && encoding.CodePage != 65001)
            return Normalized(encoding).GetString(bytes);
        return Charsets.Windows1252.GetString(bytes);
    }

    /// <summary>Multi-byte UTF-8 sequences that are valid, and bytes that belong to none.</summary>
    private static (int Valid, int Invalid) CountUtf8(ReadOnlySpan<byte> bytes)
    {
        int valid = 0, invalid = 0;
        while (!bytes.IsEmpty)
        {
            var ascii = bytes.IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            if (ascii < 0) break;
            bytes = bytes[ascii..];
            if (Rune.DecodeFromUtf8(bytes, out _, out var consumed) == OperationStatus.Done) valid++;
            else invalid += consumed = Math.Max(consumed, 1);
            bytes = bytes[consumed..];
        }
        return (valid, invalid);
    }

    private static string Utf8WithStrayBytes(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length);
        Span<char> chars = stackalloc char[2];
        while (!bytes.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(bytes, out var rune, out var consumed) == OperationStatus.Done)
            {
                builder.Append(chars[..rune.EncodeToUtf16(chars)]);
            }
            else
            {
                consumed = 1;
                builder.Append(Charsets.Windows1252.GetString(bytes[..1]));
            }
            bytes = bytes[consumed..];
        }
        return builder.ToString();
    }

    private static bool IsUtf8WithNonAscii(ReadOnlySpan<byte> bytes)
    {
        if (Ascii.IsValid(bytes)) return false;
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

    /// <summary>Says which declared charset (HTTP header, then XML declaration) could not be used, if one could not.</summary>
    public static string? UnusableCharsetNote(ReadOnlySpan<byte> bytes, string? headerCharset)
    {
        foreach (var declared in new[] { headerCharset, XmlDeclaredCharset(bytes) })
            if (!string.IsNullOrWhiteSpace(declared) && EncodingFor(declared) is null)
                return $"The feed declares the encoding '{declared.Trim()}', which is not supported; it was read by what its bytes are.";
        return null;
    }

    /// <summary>The encoding a charset label names, with WHATWG's readings of the labels servers get wrong; null when unknown.</summary>
    private static Encoding? EncodingFor(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset)) return null;
        var label = charset.Trim().Trim('"', '\'').ToLowerInvariant();
        if (Charsets.WhatwgLabels.TryGetValue(label, out var codePage)) return Encoding.GetEncoding(codePage);
        try
        {
            return Normalized(Encoding.GetEncoding(label));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null; // unknown names throw ArgumentException, known but unsupported ones (utf-7) NotSupportedException
        }
    }

    /// <summary>The superset browsers read for a legacy code page (Windows-1252 for Latin-1, GBK for GB2312 …).</summary>
    private static Encoding Normalized(Encoding encoding) =>
        Charsets.Supersets.TryGetValue(encoding.CodePage, out var superset) ? Encoding.GetEncoding(superset) : encoding;

    private static string? XmlDeclaredCharset(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.ASCII.GetString(bytes[..Math.Min(bytes.Length, 512)]);
        var match = XmlDeclarationEncoding().Match(head);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>WHATWG's prescan, simplified: the first &lt;meta&gt; naming a charset in the first 1024 bytes, comments skipped.</summary>
    private static string? MetaCharset(ReadOnlySpan<byte> bytes)
    {
        var head = HtmlComment().Replace(Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 1024)]), "");
        var match = MetaCharsetPattern().Match(head);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")]
    private static partial Regex XmlDeclarationEncoding();

    [GeneratedRegex(@"<!--.*?(?:-->|$)", RegexOptions.Singleline)]
    private static partial Regex HtmlComment();

    /// <summary>&lt;meta charset="x"&gt; or &lt;meta http-equiv="Content-Type" content="text/html; charset=x"&gt;.</summary>
    [GeneratedRegex("""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:+-]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex MetaCharsetPattern();
}

/// <summary>Code pages beyond .NET's built-in few, and how browsers read the labels documents carry.</summary>
internal static class Charsets
{
    public static readonly Encoding Windows1252 = Registered(1252);

    /// <summary>Labels whose WHATWG meaning differs from .NET's: Latin-1 and ASCII are read as Windows-1252, and so on.</summary>
    public static readonly Dictionary<string, int> WhatwgLabels = new()
    {
        ["iso-8859-1"] = 1252, ["iso8859-1"] = 1252, ["latin1"] = 1252, ["l1"] = 1252, ["us-ascii"] = 1252, ["ascii"] = 1252,
        ["iso_8859-1"] = 1252, ["cp819"] = 1252, ["ibm819"] = 1252, ["x-cp1252"] = 1252,
        ["iso-8859-9"] = 1254, ["latin5"] = 1254, ["iso-8859-11"] = 874, ["tis-620"] = 874,
        ["euc-kr"] = 949, ["ks_c_5601-1987"] = 949, ["korean"] = 949,
        ["gb2312"] = 936, ["gb_2312-80"] = 936, ["x-gbk"] = 936, ["gbk"] = 936, ["chinese"] = 936,
        ["big5"] = 950, ["big5-hkscs"] = 950, ["x-x-big5"] = 950, ["cn-big5"] = 950,
        ["shift_jis"] = 932, ["sjis"] = 932, ["x-sjis"] = 932, ["ms_kanji"] = 932, ["windows-31j"] = 932,
        ["x-user-defined"] = 1252,
    };

    /// <summary>Code pages read as the superset browsers use (what detectors and servers name is the narrower one).</summary>
    public static readonly Dictionary<int, int> Supersets = new()
    {
        [28591] = 1252, [20127] = 1252, [28599] = 1254, [51949] = 949, [20936] = 936,
    };

    private static Encoding Registered(int codePage)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(codePage);
    }
}
