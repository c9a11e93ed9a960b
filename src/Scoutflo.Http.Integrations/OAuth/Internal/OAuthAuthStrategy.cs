namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>OAuth 2.0 connections: tokens from the caches, refreshed through the provider's <see cref="IOAuthProvider"/>.</summary>
internal sealed class OAuthAuthStrategy : IAuthStrategy
{
    private readonly FrozenDictionary<string, IOAuthProvider> _providers;
    private readonly OAuthTokenManager _tokens;
    private readonly TimeProvider _timeProvider;

    public OAuthAuthStrategy(IEnumerable<IOAuthProvider> providers, OAuthTokenManager tokens, TimeProvider timeProvider)
    {
        _providers = OAuthProviderMap.ByName(providers);
        _tokens = tokens;
        _timeProvider = timeProvider;
    }

    public string AuthType => IntegrationAuthTypes.OAuth2;

    public void Validate(Integration integration, ProviderProfile provider)
    {
        Provider(integration);
        if (integration.GetCredential(IntegrationCredentialKeys.AccessToken) is null
            && integration.GetCredential(IntegrationCredentialKeys.RefreshToken) is null)
        {
            throw new IntegrationException(IntegrationErrorCodes.CredentialsMissing,
                $"An OAuth {integration.Provider} integration needs '{IntegrationCredentialKeys.AccessToken}' or '{IntegrationCredentialKeys.RefreshToken}'.")
            {
                IntegrationId = integration.Id.Length == 0 ? null : integration.Id,
                Provider = integration.Provider,
            };
        }
    }

    public ICredentialApplier CreateApplier(Integration integration, ProviderProfile provider) =>
        Provider(integration).CreateApplier(integration, _tokens, _timeProvider);

    private IOAuthProvider Provider(Integration integration) =>
        _providers.TryGetValue(integration.Provider, out var oauth)
            ? oauth
            : throw new IntegrationException(IntegrationErrorCodes.AuthTypeUnsupported,
                $"Provider '{integration.Provider}' has no OAuth flow in this library.")
            {
                IntegrationId = integration.Id.Length == 0 ? null : integration.Id,
                Provider = integration.Provider,
            };
}
