using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Aggregator.Tests.Support;

namespace Aggregator.Tests;

/// <summary>Requests Kestrel refuses before any middleware runs still answer problem+json.</summary>
public sealed class ServerRejectionTests
{
    /// <summary>Sends raw bytes to the real server (Kestrel on loopback) and reads the answer until it closes.</summary>
    private static async Task<(int Status, string Head, string Body)> SendRawAsync(ApiFactory api, byte[] request)
    {
        var address = api.CreateClient().BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(request);
        using var response = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await stream.CopyToAsync(response, timeout.Token);
        var text = Encoding.UTF8.GetString(response.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (int.Parse(text.AsSpan(9, 3)), text[..split], text[(split + 4)..]);
    }

    private static ApiFactory Kestrel()
    {
        var api = new ApiFactory();
        api.UseKestrel(0);
        return api;
    }

    public static TheoryData<string, byte[], int> Refused() => new()
    {
        { "NUL, percent-encoded", Encoding.ASCII.GetBytes("GET /api/stories%00x HTTP/1.1\r\nHost: local\r\n\r\n"), 400 },
        { "NUL, raw", Encoding.ASCII.GetBytes("GET /api/st\0ories HTTP/1.1\r\nHost: local\r\n\r\n"), 400 },
        { "URI of 20,000 characters", Encoding.ASCII.GetBytes($"GET /api/stories?q={new string('a', 20_000)} HTTP/1.1\r\nHost: local\r\n\r\n"), 414 },
        { "headers of 40,000 characters", Encoding.ASCII.GetBytes($"GET /api/stories HTTP/1.1\r\nHost: local\r\nX-Big: {new string('b', 40_000)}\r\n\r\n"), 431 },
        { "no request line", Encoding.ASCII.GetBytes("\u0001\u0002 nonsense\r\n\r\n"), 400 },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Requests_the_server_refuses_answer_problem_json(string what, byte[] request, int status)
    {
        await using var api = Kestrel();

        var (answered, head, body) = await SendRawAsync(api, request);

        Assert.True(status == answered, $"{what}: {answered}");
        Assert.Contains("Content-Type: application/problem+json", head);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Ordinary_answers_pass_unchanged_also_after_a_refused_request_on_another_connection()
    {
        await using var api = Kestrel();
        await SendRawAsync(api, Encoding.ASCII.GetBytes("GET /api/stories%00 HTTP/1.1\r\nHost: local\r\n\r\n"));

        var (status, head, body) = await SendRawAsync(api, Encoding.ASCII.GetBytes("GET /health HTTP/1.1\r\nHost: local\r\nConnection: close\r\n\r\n"));
        var missing = await SendRawAsync(api, Encoding.ASCII.GetBytes("GET /api/feeds/99 HTTP/1.1\r\nHost: local\r\nConnection: close\r\n\r\n"));

        Assert.Equal(200, status);
        Assert.Contains("\"live\"", body);
        Assert.Equal(404, missing.Status);
        Assert.Contains("There is no feed 99", missing.Body);
    }
}
