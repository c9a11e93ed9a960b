using System.Net.Http.Json;

namespace Scoutflo.Http.Integrations.Http.Internal;

/// <summary>Making a request sendable twice: its body must survive the first send.</summary>
internal static class RequestReplay
{
    /// <summary>
    /// Whether the request can be sent again after a refresh. Bodies that serialise afresh on
    /// every send are replayable as they are; any other body is buffered when its length is
    /// known and at most <paramref name="maxBufferBytes"/>, and is not replayable otherwise.
    /// </summary>
    public static ValueTask<bool> TryMakeReplayableAsync(HttpRequestMessage request, int maxBufferBytes, CancellationToken cancellationToken)
    {
        // Not an async method: a request without a body (most of them) must not pay for a state machine.
        var content = request.Content;
        if (content is null || IsRepeatable(content))
        {
            return new ValueTask<bool>(true);
        }

        if (content.Headers.ContentLength is not { } length || length > maxBufferBytes)
        {
            return new ValueTask<bool>(false);
        }

        return BufferAsync(content, maxBufferBytes, cancellationToken);
    }

    private static async ValueTask<bool> BufferAsync(HttpContent content, int maxBufferBytes, CancellationToken cancellationToken)
    {
        await content.LoadIntoBufferAsync(maxBufferBytes, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>A copy to send again: same method, URI, version, headers (but the credential), options and body.</summary>
    public static HttpRequestMessage Clone(HttpRequestMessage request)
    {
        var clone = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Content = request.Content,
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
        };

        foreach (var header in request.Headers)
        {
            if (!string.Equals(header.Key, "Authorization", StringComparison.OrdinalIgnoreCase))
            {
                clone.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        var options = (IDictionary<string, object?>)clone.Options;
        foreach (var option in request.Options)
        {
            options[option.Key] = option.Value;
        }

        return clone;
    }

    private static bool IsRepeatable(HttpContent content) => content switch
    {
        ByteArrayContent or ReadOnlyMemoryContent or JsonContent => true, // ByteArrayContent covers String and FormUrlEncoded
        MultipartContent multipart => multipart.All(IsRepeatable),
        _ => false,
    };
}
