using Scoutflo.Http.Integrations.Install.Internal;
using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations.Providers;

/// <summary>
/// Any other API, and the one provider the core registers: the record gives the base URL
/// (<c>base_url</c>) and a static credential. No OAuth, no install flow.
/// </summary>
internal sealed class CustomProvider : IIntegrationProvider
{
    public IReadOnlyList<ProviderProfile> Profiles { get; } =
    [
        new()
        {
            Name = IntegrationProviders.Custom,
            AuthTypes =
            [
                IntegrationAuthTypes.ApiKey, IntegrationAuthTypes.Basic,
                IntegrationAuthTypes.Bearer, IntegrationAuthTypes.MappedCredentials,
            ],
            AcceptsRegisteredAuthTypes = true,
        },
    ];

    public IOAuthProvider? OAuth => null;

    public IOAuthInstaller? Installer => null;

    public void Validate(Integration integration) => GetEndpoint(integration);

    public ProviderEndpoint GetEndpoint(Integration integration) =>
        new(ProviderUrls.RequireBase(integration, IntegrationMetadataKeys.BaseUrl), null);
}
