namespace Scoutflo.Http.Integrations;

// Slack's token choice, declared beside Slack: the request option, its per-request setter and
// the per-client default. The core types these extend know nothing of Slack.
public static partial class IntegrationRequestOptions
{
    /// <summary>The option name of the Slack token a request is sent with (a <see cref="Integrations.SlackTokenKind"/>).</summary>
    public const string SlackTokenKindName = "Scoutflo.Http.Integrations.SlackTokenKind";

    /// <summary>The typed key of the Slack token a request is sent with; it wins over the client's <c>IntegrationAuthHandlerOptions.SlackTokenKind</c>.</summary>
    public static HttpRequestOptionsKey<SlackTokenKind> SlackTokenKind { get; } = new(SlackTokenKindName);
}

/// <content>Slack: the token a request is sent with.</content>
public static partial class HttpRequestMessageIntegrationExtensions
{
    internal static readonly HttpRequestOptionsKey<SlackTokenKind> SlackTokenKindKey = IntegrationRequestOptions.SlackTokenKind;

    /// <summary>
    /// Slack: sends this request with the connection's <paramref name="tokenKind"/> token, whatever
    /// the client was registered with. Other providers ignore it.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="tokenKind">The bot or the user token.</param>
    /// <returns>The same request.</returns>
    public static HttpRequestMessage SetSlackTokenKind(this HttpRequestMessage request, SlackTokenKind tokenKind)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(SlackTokenKindKey, tokenKind);
        return request;
    }

    /// <summary>The Slack token kind set on the request, if any.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The kind, or <see langword="null"/> when the request does not choose.</returns>
    public static SlackTokenKind? GetSlackTokenKind(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Options.TryGetValue(SlackTokenKindKey, out var kind) ? kind : null;
    }
}

/// <summary>Slack's per-client token choice, kept in <see cref="IntegrationAuthHandlerOptions.DefaultRequestOptions"/>.</summary>
public static class SlackIntegrationAuthHandlerOptionsExtensions
{
    /// <param name="options">The client's handler options.</param>
    extension(IntegrationAuthHandlerOptions options)
    {
        /// <summary>
        /// Slack connections: which of the connection's tokens the client's requests carry, unless a
        /// request says otherwise with <see cref="HttpRequestMessageIntegrationExtensions.SetSlackTokenKind"/>.
        /// Other providers ignore it. Default <see cref="SlackTokenKind.Bot"/>.
        /// </summary>
        public SlackTokenKind SlackTokenKind
        {
            get => options.DefaultRequestOptions.TryGetValue(IntegrationRequestOptions.SlackTokenKind, out var kind)
                ? kind
                : Integrations.SlackTokenKind.Bot;
            set
            {
                // The default is not stored, so that a bot-token client's requests carry no option.
                if (value == Integrations.SlackTokenKind.Bot)
                {
                    ((IDictionary<string, object?>)options.DefaultRequestOptions).Remove(IntegrationRequestOptions.SlackTokenKindName);
                }
                else
                {
                    options.DefaultRequestOptions.Set(IntegrationRequestOptions.SlackTokenKind, value);
                }
            }
        }
    }
}
