using System.Text.Encodings.Web;
using System.Text.Json;

namespace Aggregator.Cli;

/// <summary>The commands' JSON output: plain UTF-8 (O'Connell, Zürich), with only what JSON itself requires escaped.</summary>
internal static class CliJson
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    public static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
