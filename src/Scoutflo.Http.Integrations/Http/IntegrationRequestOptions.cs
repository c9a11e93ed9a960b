namespace Scoutflo.Http.Integrations;

/// <summary>
/// The <see cref="HttpRequestMessage.Options"/> the auth handler reads, public so that any
/// client can set them: <see cref="HttpRequestMessageIntegrationExtensions.SetIntegrationId"/>
/// does it on a request you build, and Refit does it from a parameter marked
/// <c>[Property(IntegrationRequestOptions.IntegrationIdName)]</c>.
/// </summary>
public static class IntegrationRequestOptions
{
    /// <summary>The option name of the integration id a request is sent for (a <see cref="string"/>).</summary>
    public const string IntegrationIdName = "Scoutflo.Http.Integrations.IntegrationId";

    /// <summary>The option name of the Slack token a request is sent with (a <see cref="Integrations.SlackTokenKind"/>).</summary>
    public const string SlackTokenKindName = "Scoutflo.Http.Integrations.SlackTokenKind";

    /// <summary>The typed key of the integration id a request is sent for; it wins over the id the client was registered with.</summary>
    public static HttpRequestOptionsKey<string> IntegrationId { get; } = new(IntegrationIdName);

    /// <summary>The typed key of the Slack token a request is sent with; it wins over the client's <see cref="IntegrationAuthHandlerOptions.SlackTokenKind"/>.</summary>
    public static HttpRequestOptionsKey<SlackTokenKind> SlackTokenKind { get; } = new(SlackTokenKindName);
}
