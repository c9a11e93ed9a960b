using Scoutflo.Http.Integrations.Install.Internal;
using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations.Providers.Slack;

/// <summary>Slack's Web API: method names are paths under the API base (<c>chat.postMessage</c>).</summary>
internal sealed class SlackProvider(IOptionsMonitor<SlackOptions> options, SlackOAuthProvider oauth, SlackInstaller installer) : IIntegrationProvider
{
    public IReadOnlyList<ProviderProfile> Profiles { get; } =
    [
        new()
        {
            Name = IntegrationProviders.Slack,
            AuthTypes = [IntegrationAuthTypes.OAuth2, IntegrationAuthTypes.Bearer],
        },
    ];

    public IOAuthProvider? OAuth => oauth;

    public IOAuthInstaller? Installer => installer;

    public void Validate(Integration integration) => GetEndpoint(integration);

    public ProviderEndpoint GetEndpoint(Integration integration)
    {
        var settings = options.CurrentValue;
        var baseAddress = ProviderUrls.RequireBase(integration, IntegrationMetadataKeys.BaseUrl, settings.ApiBaseUrl.AbsoluteUri);

        // The API base comes from the options; a record may only pick among the hosts they allow.
        if (!ProviderUrls.SameOrigin(baseAddress, settings.ApiBaseUrl) && !ProviderUrls.OnAnyOrigin(baseAddress, settings.AdditionalApiBaseUrls))
        {
            throw ProviderUrls.NotAllowed(integration, IntegrationMetadataKeys.BaseUrl, baseAddress,
                $"the host of {nameof(SlackOptions)}.{nameof(SlackOptions.ApiBaseUrl)} nor one of its {nameof(SlackOptions.AdditionalApiBaseUrls)}");
        }

        return new(baseAddress, null);
    }
}
