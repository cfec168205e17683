using System.Buffers.Text;
using System.Text;

namespace Aggregator.Core.Model;

/// <summary>The wrapping of paging tokens: clients pass them back untouched and should not build them.</summary>
internal static class OpaqueToken
{
    public static string Encode(string payload) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(payload));

    /// <summary>The payload; null when the text is not a token at all.</summary>
    public static string? Decode(string token)
    {
        try { return Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token)); }
        catch (FormatException) { return null; }
    }
}
