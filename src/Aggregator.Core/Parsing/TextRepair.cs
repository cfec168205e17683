using System.Text;

namespace Aggregator.Core.Parsing;

/// <summary>
/// Mends the two ways Windows-1252 leaks into Unicode text: UTF-8 that was decoded as Windows-1252 or Latin-1 somewhere
/// upstream ("CafÃ©" for "Café", "â€™" for "’"), repaired where the characters spell out a valid UTF-8 sequence; and C1
/// control characters (U+0080–U+009F, from "&amp;#146;" or a Latin-1 reading), which no text means and which stand for
/// the punctuation Windows-1252 puts there.
/// </summary>
public static class TextRepair
{
    private static readonly Encoding Windows1252 = Charsets.Windows1252;
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>The Windows-1252 byte of each character that has one (C1 controls stand for their own byte).</summary>
    private static readonly Dictionary<char, byte> Bytes = BuildBytes();

    /// <summary>What each C1 control stands for in Windows-1252; the five bytes it leaves undefined stand for nothing.</summary>
    private static readonly string[] C1Meaning = Enumerable.Range(0x80, 32)
        .Select(b => Windows1252.GetString([(byte)b]) is var s && s[0] is >= '\u0080' and <= '\u009F' or '\uFFFD' ? "" : s)
        .ToArray();

    public static string Clean(string text)
    {
        if (!NeedsRepair(text)) return text;
        var builder = new StringBuilder(text.Length);
        Span<byte> sequence = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            if (TryUndoDoubleEncoding(text, i, sequence, out var decoded, out var length))
            {
                builder.Append(decoded);
                i += length - 1;
                continue;
            }
            var c = text[i];
            if (c is >= '\u0080' and <= '\u009F') builder.Append(C1Meaning[c - 0x80]);
            else builder.Append(c);
        }
        return builder.ToString();
    }

    private static bool NeedsRepair(string text)
    {
        foreach (var c in text)
            if (c is >= '\u0080' and <= '\u009F' or >= '\u00C2' and <= '\u00F4') return true;
        return false;
    }

    /// <summary>
    /// Characters at <paramref name="start"/> whose Windows-1252 bytes are a lead byte and exactly the continuation
    /// bytes it needs, forming valid UTF-8: the character that UTF-8 spelt.
    /// </summary>
    private static bool TryUndoDoubleEncoding(string text, int start, Span<byte> sequence, out string decoded, out int length)
    {
        decoded = "";
        length = 0;
        if (!Bytes.TryGetValue(text[start], out var lead)) return false;
        length = lead switch { >= 0xC2 and <= 0xDF => 2, >= 0xE0 and <= 0xEF => 3, >= 0xF0 and <= 0xF4 => 4, _ => 0 };
        if (length == 0 || start + length > text.Length) return false;
        sequence[0] = lead;
        for (var k = 1; k < length; k++)
        {
            if (!Bytes.TryGetValue(text[start + k], out var next) || next is < 0x80 or > 0xBF) return false;
            sequence[k] = next;
        }
        try
        {
            decoded = StrictUtf8.GetString(sequence[..length]);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static Dictionary<char, byte> BuildBytes()
    {
        var bytes = new Dictionary<char, byte>();
        for (var b = 0x80; b <= 0xFF; b++)
        {
            var s = Windows1252.GetString([(byte)b]);
            if (s[0] != '\uFFFD') bytes.TryAdd(s[0], (byte)b);
            bytes.TryAdd((char)b, (byte)b); // Latin-1 reading of the same byte
        }
        return bytes;
    }
}
