namespace Scoutflo.Http.Integrations;

/// <summary>What the auth strategies need to know of a provider.</summary>
public sealed class ProviderProfile
{
    /// <summary>The provider name (<see cref="IntegrationProviders"/>).</summary>
    public required string Name { get; init; }

    /// <summary>The auth types the provider accepts (<see cref="IntegrationAuthTypes"/>).</summary>
    public required IReadOnlyCollection<string> AuthTypes { get; init; }

    /// <summary>The header an API key goes in unless the record says otherwise. Default <c>X-Api-Key</c>.</summary>
    public string ApiKeyHeader { get; init; } = "X-Api-Key";

    /// <summary>
    /// For <see cref="IntegrationAuthTypes.MappedCredentials"/>: header name → credential field.
    /// Empty means the record's <c>credential_headers</c> metadata gives the mapping.
    /// </summary>
    public IReadOnlyDictionary<string, string> CredentialHeaders { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Whether records may also use an auth type an application registered its own
    /// <see cref="IAuthStrategy"/> for (one that is not a built-in <see cref="IntegrationAuthTypes"/>
    /// value). Only the custom provider does: a named provider's API expects its own credentials.
    /// </summary>
    internal bool AcceptsRegisteredAuthTypes { get; init; }
}
