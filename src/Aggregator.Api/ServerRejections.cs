using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Aggregator.Api;

/// <summary>
/// Kestrel answers requests it cannot read (a NUL in the path, a request line or headers over its limits) itself,
/// before any middleware runs, with an empty body, and this is not configurable. This connection middleware passes
/// every response through and gives those answers — a 4xx head with no body that closes the connection, alone in one
/// write, which is what Kestrel's rejections are — a problem+json body like every other error of the API.
/// </summary>
public static class ServerRejections
{
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    public static ListenOptions UseProblemBodies(this ListenOptions listen)
    {
        listen.Use(next => async connection =>
        {
            var transport = connection.Transport;
            var responses = new Pipe();
            connection.Transport = new Transport(transport.Input, responses.Writer);
            var relay = RelayAsync(responses.Reader, transport.Output);
            try
            {
                await next(connection);
            }
            finally
            {
                await responses.Writer.CompleteAsync();
                await relay;
                connection.Transport = transport;
            }
        });
        return listen;
    }

    private sealed class Transport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    private static async Task RelayAsync(PipeReader responses, PipeWriter output)
    {
        try
        {
            while (true)
            {
                var read = await responses.ReadAsync();
                var buffer = read.Buffer;
                if (!buffer.IsEmpty)
                {
                    if (Rejection(buffer) is { } replaced) output.Write(replaced);
                    else foreach (var segment in buffer) output.Write(segment.Span);
                    var flushed = await output.FlushAsync();
                    responses.AdvanceTo(buffer.End);
                    if (flushed.IsCompleted) break; // the client is gone
                }
                else responses.AdvanceTo(buffer.End);
                if (read.IsCompleted || read.IsCanceled) break;
            }
        }
        finally
        {
            await responses.CompleteAsync();
        }
    }

    /// <summary>The same answer with a problem+json body, when the bytes are one of Kestrel's bodiless rejections.</summary>
    private static byte[]? Rejection(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length is < 16 or > 1024) return null;
        var head = Encoding.ASCII.GetString(buffer.ToArray());
        if (!head.StartsWith("HTTP/1.1 4", StringComparison.Ordinal) || !head.EndsWith("\r\n\r\n", StringComparison.Ordinal)
            || head.IndexOf("\r\n\r\n", StringComparison.Ordinal) != head.Length - HeadEnd.Length
            || !head.Contains("\r\nContent-Length: 0\r\n", StringComparison.Ordinal) || !head.Contains("\r\nConnection: close\r\n", StringComparison.Ordinal)
            || !int.TryParse(head.AsSpan(9, 3), out var status))
            return null;
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = "https://tools.ietf.org/html/rfc9110#section-15.5",
            title = head[13..head.IndexOf('\r')],
            status,
            detail = status switch
            {
                414 => "The request URI is longer than the server accepts.",
                431 => "The request headers are larger than the server accepts.",
                _ => "The request could not be read: its request line or headers are malformed (a NUL or control character in the path, for instance).",
            },
        });
        var headers = head[..^HeadEnd.Length].Replace("\r\nContent-Length: 0", "");
        return [.. Encoding.ASCII.GetBytes($"{headers}\r\nContent-Type: application/problem+json\r\nContent-Length: {body.Length}\r\n\r\n"), .. body];
    }
}
