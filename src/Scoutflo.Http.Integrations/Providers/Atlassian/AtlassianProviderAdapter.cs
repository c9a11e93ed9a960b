using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Providers.Atlassian;

/// <summary>
/// Jira, Jira Service Management and Confluence. With Basic auth (email + API token) requests
/// go to the site itself; with OAuth they go through the API gateway at
/// <c>/ex/{jira|confluence}/{cloudId}</c>, and site-host URLs (the <c>self</c> links in
/// responses) are moved onto it.
/// </summary>
internal sealed class AtlassianProviderAdapter : IProviderAdapter
{
    private readonly IOptionsMonitor<AtlassianOptions> _options;
    private readonly string _gatewayProduct;

    private AtlassianProviderAdapter(string provider, string gatewayProduct, IOptionsMonitor<AtlassianOptions> options)
    {
        _options = options;
        _gatewayProduct = gatewayProduct;
        Profile = new ProviderProfile
        {
            Name = provider,
            AuthTypes = [IntegrationAuthTypes.OAuth2, IntegrationAuthTypes.Basic],
        };
    }

    public ProviderProfile Profile { get; }

    public static AtlassianProviderAdapter Jira(IOptionsMonitor<AtlassianOptions> options) =>
        new(IntegrationProviders.Jira, "jira", options);

    // JSM lives on the Jira gateway; only its paths (rest/servicedeskapi) differ.
    public static AtlassianProviderAdapter Jsm(IOptionsMonitor<AtlassianOptions> options) =>
        new(IntegrationProviders.Jsm, "jira", options);

    public static AtlassianProviderAdapter Confluence(IOptionsMonitor<AtlassianOptions> options) =>
        new(IntegrationProviders.Confluence, "confluence", options);

    public void Validate(Integration integration) => GetEndpoint(integration);

    public ProviderEndpoint GetEndpoint(Integration integration)
    {
        var site = ProviderUrls.RequireBase(integration, IntegrationMetadataKeys.SiteUrl);
        if (!IsAllowedSite(site))
        {
            throw ProviderUrls.NotAllowed(integration, IntegrationMetadataKeys.SiteUrl, site,
                $"an https origin on *.atlassian.net nor one of {nameof(AtlassianOptions)}.{nameof(AtlassianOptions.AdditionalSiteUrls)}");
        }

        if (integration.AuthType != IntegrationAuthTypes.OAuth2)
        {
            return new ProviderEndpoint(site, null);
        }

        var cloudId = integration.GetMetadata(IntegrationMetadataKeys.CloudId);
        if (cloudId is null || !IsCloudId(cloudId))
        {
            throw new IntegrationException(IntegrationErrorCodes.RecordInvalid,
                $"An OAuth {integration.Provider} integration needs a '{IntegrationMetadataKeys.CloudId}' (the site's id from accessible-resources).")
            {
                IntegrationId = ProviderUrls.NullIfEmpty(integration.Id),
                Provider = integration.Provider,
            };
        }

        var gateway = _options.CurrentValue.ApiBaseUrl.AbsoluteUri.TrimEnd('/');
        return new ProviderEndpoint(new Uri($"{gateway}/ex/{_gatewayProduct}/{cloudId}"), site);
    }

    // A Basic connection sends the email and API token to its site, and an OAuth connection's
    // site is where URLs are rewritten from: both must be Atlassian's, or the application's own choice.
    private bool IsAllowedSite(Uri site) =>
        site.AbsolutePath == "/"
        && (ProviderUrls.IsHttpsOn(site, "atlassian.net", apex: false)
            || ProviderUrls.OnAnyOrigin(site, _options.CurrentValue.AdditionalSiteUrls));

    // Cloud ids are UUIDs; anything that could change the path (slashes, dots) is refused.
    private static bool IsCloudId(string value) =>
        value.Length <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
