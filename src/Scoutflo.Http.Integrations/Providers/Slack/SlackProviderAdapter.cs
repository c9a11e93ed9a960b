using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Providers.Slack;

/// <summary>Slack's Web API: method names are paths under the API base (<c>chat.postMessage</c>).</summary>
internal sealed class SlackProviderAdapter(IOptionsMonitor<SlackOptions> options) : IProviderAdapter
{
    public ProviderProfile Profile { get; } = new()
    {
        Name = IntegrationProviders.Slack,
        AuthTypes = [IntegrationAuthTypes.OAuth2, IntegrationAuthTypes.Bearer],
    };

    public void Validate(Integration integration) => GetEndpoint(integration);

    public ProviderEndpoint GetEndpoint(Integration integration) =>
        new(ProviderUrls.RequireBase(integration, IntegrationMetadataKeys.BaseUrl, options.CurrentValue.ApiBaseUrl.AbsoluteUri), null);
}
