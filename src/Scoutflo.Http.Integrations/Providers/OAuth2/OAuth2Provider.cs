using Scoutflo.Http.Integrations.Install.Internal;
using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations.Providers.OAuth2;

/// <summary>
/// A configured OAuth 2.0 provider's records: OAuth (or a static bearer token) against the
/// options' API base, or one of its additional bases named by the record's <c>base_url</c>.
/// </summary>
internal sealed class OAuth2Provider(
    string name,
    IOptionsMonitor<OAuth2ProviderOptions> options,
    OAuth2OAuthProvider oauth,
    OAuth2Installer installer) : IIntegrationProvider
{
    public IReadOnlyList<ProviderProfile> Profiles { get; } =
    [
        new()
        {
            Name = name,
            AuthTypes = [IntegrationAuthTypes.OAuth2, IntegrationAuthTypes.Bearer],
        },
    ];

    public IOAuthProvider? OAuth => oauth;

    public IOAuthInstaller? Installer => installer;

    public void Validate(Integration integration) => GetEndpoint(integration);

    public ProviderEndpoint GetEndpoint(Integration integration)
    {
        var settings = options.Get(name);
        var baseAddress = ProviderUrls.RequireBase(integration, IntegrationMetadataKeys.BaseUrl, settings.ApiBaseUrl?.AbsoluteUri);
        if (!ProviderUrls.OnAnyOrigin(baseAddress, [settings.ApiBaseUrl]) && !ProviderUrls.OnAnyOrigin(baseAddress, settings.AdditionalApiBaseUrls))
        {
            throw ProviderUrls.NotAllowed(integration, IntegrationMetadataKeys.BaseUrl, baseAddress,
                $"the origin of {nameof(OAuth2ProviderOptions.ApiBaseUrl)} or one of {nameof(OAuth2ProviderOptions.AdditionalApiBaseUrls)} of OAuth 2.0 provider '{name}'");
        }

        return new(baseAddress, null);
    }
}
