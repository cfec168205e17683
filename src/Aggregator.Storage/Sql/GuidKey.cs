using System.Security.Cryptography;
using System.Text;

namespace Aggregator.Storage.Sql;

/// <summary>
/// A GUID as story_feeds keys it. GUIDs are opaque identities, never shown: one longer than an index entry may hold
/// (about 2,700 bytes on PostgreSQL) is keyed by its SHA-256 instead, on both providers alike.
/// </summary>
internal static class GuidKey
{
    /// <summary>512 characters are at most 2,048 bytes of UTF-8, within any index entry.</summary>
    private const int LongestKept = 512;

    public static string Of(string guid) => guid.Length <= LongestKept
        ? guid
        : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(guid)));
}
