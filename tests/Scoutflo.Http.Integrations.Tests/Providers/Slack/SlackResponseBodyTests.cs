using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Providers.Slack;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Providers.Slack;

/// <summary>Reading Slack's 200-body verdicts must never take the body from the caller nor buffer a large one.</summary>
public class SlackResponseBodyTests
{
    [Fact]
    public async Task Download_LargeBinary_IsStreamedUnbufferedAndArrivesIntact()
    {
        await using var harness = new SlackHarness(fake: o => o.DownloadSizeBytes = 3 * 1024 * 1024);
        var installed = await harness.InstallAsync();

        // Downloads live outside /api: this connection's base is the host root.
        var stored = (await harness.Store.GetAsync(installed.Id))!;
        var metadata = new Dictionary<string, string>(stored.Metadata) { [IntegrationMetadataKeys.BaseUrl] = harness.Fake.BaseUrl.AbsoluteUri };
        await harness.Connections.UpdateConnectionAsync(stored with { Metadata = metadata }, stored.Version);
        var client = harness.Slack(installed.Id).HttpClient;

        using var response = await client.GetAsync("files/download/F0BIG", HttpCompletionOption.ResponseHeadersRead);

        response.EnsureSuccessStatusCode();
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.IsNotAssignableFrom<ByteArrayContent>(response.Content);
        Assert.DoesNotContain("Replay", response.Content.GetType().Name, StringComparison.Ordinal);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(harness.Fake.FileContent("F0BIG"), copy.ToArray());
        Assert.Equal(1, harness.Fake.DownloadCalls);
    }

    [Fact]
    public async Task Classify_LargeJsonOfUnknownLength_ReadsOnlyItsPrefixAndReplaysTheWholeBody()
    {
        await using var harness = new SlackHarness();
        var provider = harness.Services.GetRequiredService<SlackOAuthProvider>();
        var json = LargeJson("{\"ok\":true,\"messages\":[", 2 * 1024 * 1024);
        var source = new CountingStream(json);
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(source) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        response.Content.Headers.Add("X-Custom", "kept");

        var verdict = await provider.ClassifyAsync(response, CancellationToken.None);

        Assert.Equal(CredentialRejection.None, verdict);
        Assert.True(source.BytesRead <= SlackOAuthProvider.PeekBytes, $"read {source.BytesRead} bytes");
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.Equal("kept", Assert.Single(response.Content.Headers.GetValues("X-Custom")));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(json, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Classify_TokenExpiredInAStreamedBody_AsksForARefreshAndTheBodyStaysReadable()
    {
        await using var harness = new SlackHarness();
        var provider = harness.Services.GetRequiredService<SlackOAuthProvider>();
        var json = LargeJson("{\"ok\":false,\"error\":\"token_expired\",\"padding\":[", 64 * 1024);
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new CountingStream(json)) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var verdict = await provider.ClassifyAsync(response, CancellationToken.None);

        Assert.Equal(CredentialRejection.Refresh, verdict);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("token_expired", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Classify_SmallJsonWithKnownLength_IsBufferedAndStaysReadable()
    {
        await using var harness = new SlackHarness();
        var provider = harness.Services.GetRequiredService<SlackOAuthProvider>();
        using var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("{\"ok\":false,\"error\":\"not_authed\"}", Encoding.UTF8, "application/json"),
        };

        var verdict = await provider.ClassifyAsync(response, CancellationToken.None);

        Assert.Equal(CredentialRejection.Reauthorize, verdict);
        Assert.Equal("not_authed", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("text/plain", "{\"ok\":false,\"error\":\"token_expired\"}")]
    [InlineData("application/json", "{\"ok\":true,\"error\":\"token_expired\"}")]
    [InlineData("application/json", "{\"data\":{\"ok\":false,\"error\":\"token_expired\"}}")]
    [InlineData("application/json", "[{\"ok\":false,\"error\":\"token_expired\"}]")]
    [InlineData("application/json", "not json at all")]
    public async Task Classify_NotATopLevelSlackError_IsNoVerdict(string mediaType, string body)
    {
        await using var harness = new SlackHarness();
        var provider = harness.Services.GetRequiredService<SlackOAuthProvider>();
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

        Assert.Equal(CredentialRejection.None, await provider.ClassifyAsync(response, CancellationToken.None));
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void ReadError_PrefixCutBeforeTheError_IsNoVerdict()
    {
        var prefix = "{\"ok\":false,\"err"u8.ToArray();

        Assert.Null(SlackErrorBody.Read(prefix, complete: false));
        Assert.Equal("token_expired", SlackErrorBody.Read("{\"ok\":false,\"error\":\"token_expired\",\"x\":[1,"u8, complete: false));
    }

    private static byte[] LargeJson(string head, int approximateBytes)
    {
        var builder = new StringBuilder(approximateBytes + 64).Append(head);
        var i = 0;
        while (builder.Length < approximateBytes)
        {
            builder.Append(i == 0 ? "" : ",").Append("{\"ts\":\"").Append(i++).Append(".000100\",\"text\":\"message body\"}");
        }

        return Encoding.UTF8.GetBytes(builder.Append("]}").ToString());
    }

    /// <summary>A source stream that counts what was taken from it, and hands out small chunks as a network would.</summary>
    private sealed class CountingStream(byte[] data) : Stream
    {
        private int _position;

        public int BytesRead => _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(buffer.Length, 1500), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
