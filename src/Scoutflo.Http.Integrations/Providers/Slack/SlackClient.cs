using System.Net.Http.Json;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// A thin typed client for Slack's Web API. Slack answers most errors with HTTP 200 and
/// <c>{"ok":false,"error":"..."}</c>; these calls return the body as Slack sent it.
/// </summary>
/// <param name="httpClient">The client from <c>AddSlackClient</c> or <see cref="IIntegrationClientFactory"/>.</param>
public sealed class SlackClient(HttpClient httpClient)
{
    /// <summary>The underlying client, for any other method (<c>PostAsync("conversations.list", ...)</c>).</summary>
    public HttpClient HttpClient { get; } = httpClient ?? throw new ArgumentNullException(nameof(httpClient));

    /// <summary>Who the token belongs to (<c>auth.test</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="HttpRequestException">Slack answered with an error status.</exception>
    public async Task<JsonElement> AuthTestAsync(CancellationToken cancellationToken = default)
    {
        using var response = await HttpClient.PostAsync("auth.test", content: null, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Posts a message (<c>chat.postMessage</c>).</summary>
    /// <param name="channel">The channel id.</param>
    /// <param name="text">The message text.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="HttpRequestException">Slack answered with an error status.</exception>
    public async Task<JsonElement> PostMessageAsync(string channel, string text, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(text);
        using var response = await HttpClient.PostAsJsonAsync("chat.postMessage", new { channel, text }, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
    }
}
