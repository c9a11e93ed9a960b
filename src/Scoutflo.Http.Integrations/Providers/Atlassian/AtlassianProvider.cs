using Scoutflo.Http.Integrations.Install.Internal;
using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations.Providers.Atlassian;

/// <summary>
/// Jira, Jira Service Management and Confluence. With Basic auth (email + API token) requests
/// go to the site itself; with OAuth they go through the API gateway at
/// <c>/ex/{jira|confluence}/{cloudId}</c>, and site-host URLs (the <c>self</c> links in
/// responses) are moved onto it.
/// </summary>
internal sealed class AtlassianProvider(
    IOptionsMonitor<AtlassianOptions> options,
    AtlassianOAuthProvider oauth,
    AtlassianInstaller installer) : IIntegrationProvider
{
    private static readonly string[] AuthTypes = [IntegrationAuthTypes.OAuth2, IntegrationAuthTypes.Basic];

    public IReadOnlyList<ProviderProfile> Profiles { get; } =
    [
        new() { Name = IntegrationProviders.Jira, AuthTypes = AuthTypes },
        new() { Name = IntegrationProviders.Jsm, AuthTypes = AuthTypes },
        new() { Name = IntegrationProviders.Confluence, AuthTypes = AuthTypes },
    ];

    public IOAuthProvider? OAuth => oauth;

    public IOAuthInstaller? Installer => installer;

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

        var gateway = options.CurrentValue.ApiBaseUrl.AbsoluteUri.TrimEnd('/');
        return new ProviderEndpoint(new Uri($"{gateway}/ex/{GatewayProduct(integration.Provider)}/{cloudId}"), site);
    }

    // JSM lives on the Jira gateway; only its paths (rest/servicedeskapi) differ.
    private static string GatewayProduct(string provider) =>
        provider == IntegrationProviders.Confluence ? "confluence" : "jira";

    // A Basic connection sends the email and API token to its site, and an OAuth connection's
    // site is where URLs are rewritten from: both must be Atlassian's, or the application's own choice.
    private bool IsAllowedSite(Uri site) =>
        site.AbsolutePath == "/"
        && (ProviderUrls.IsHttpsOn(site, "atlassian.net", apex: false)
            || ProviderUrls.OnAnyOrigin(site, options.CurrentValue.AdditionalSiteUrls));

    // Cloud ids are UUIDs; anything that could change the path (slashes, dots) is refused.
    private static bool IsCloudId(string value) =>
        value.Length <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
