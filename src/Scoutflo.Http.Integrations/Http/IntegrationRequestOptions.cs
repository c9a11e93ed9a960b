namespace Scoutflo.Http.Integrations;

/// <summary>
/// The <see cref="HttpRequestMessage.Options"/> the auth handler reads, public so that any
/// client can set them: <see cref="HttpRequestMessageIntegrationExtensions.SetIntegrationId"/>
/// does it on a request you build, and Refit does it from a parameter marked
/// <c>[Property(IntegrationRequestOptions.IntegrationIdName)]</c>.
/// </summary>
public static partial class IntegrationRequestOptions
{
    /// <summary>The option name of the integration id a request is sent for (a <see cref="string"/>).</summary>
    public const string IntegrationIdName = "Scoutflo.Http.Integrations.IntegrationId";

    /// <summary>The typed key of the integration id a request is sent for; it wins over the id the client was registered with.</summary>
    public static HttpRequestOptionsKey<string> IntegrationId { get; } = new(IntegrationIdName);
}
