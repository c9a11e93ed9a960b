namespace Scoutflo.Http.Integrations.Providers.Custom;

/// <summary>Any other API: the record gives the base URL (<c>base_url</c>) and the auth type.</summary>
internal sealed class CustomProviderAdapter : IProviderAdapter
{
    public ProviderProfile Profile { get; } = new()
    {
        Name = IntegrationProviders.Custom,
        AuthTypes =
        [
            IntegrationAuthTypes.ApiKey, IntegrationAuthTypes.Basic,
            IntegrationAuthTypes.Bearer, IntegrationAuthTypes.MappedCredentials,
        ],
        AcceptsRegisteredAuthTypes = true,
    };

    public void Validate(Integration integration) => GetEndpoint(integration);

    public ProviderEndpoint GetEndpoint(Integration integration) =>
        new(ProviderUrls.RequireBase(integration, IntegrationMetadataKeys.BaseUrl), null);
}
