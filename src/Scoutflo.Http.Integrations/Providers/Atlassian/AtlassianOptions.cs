using System.ComponentModel.DataAnnotations;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// The Atlassian OAuth 2.0 (3LO) app used for Jira, Jira Service Management and Confluence,
/// and the Atlassian endpoints (overridable so that tests can point them at a fake).
/// Bound from the <c>Atlassian</c> configuration section by <c>AddAtlassian(IConfiguration)</c>.
/// </summary>
public sealed class AtlassianOptions
{
    /// <summary>The OAuth app's client id. Required; no default.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The OAuth app's client secret. Required; no default. Never logged.</summary>
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>The callback URL registered with the app. Required for installs (<c>BuildInstallUrlAsync</c>), not for a service that only calls APIs; no default.</summary>
    public Uri? RedirectUri { get; set; }

    /// <summary>Scopes asked for a Jira install. Default <c>read:jira-work read:jira-user write:jira-work</c>; <c>offline_access</c> is always added.</summary>
    public IList<string> JiraScopes { get; set; } = ["read:jira-work", "read:jira-user", "write:jira-work"];

    /// <summary>Scopes asked for a Jira Service Management install. Default <c>read:servicedesk-request write:servicedesk-request manage:servicedesk-customer read:jira-user</c>.</summary>
    public IList<string> JsmScopes { get; set; } = ["read:servicedesk-request", "write:servicedesk-request", "manage:servicedesk-customer", "read:jira-user"];

    /// <summary>Scopes asked for a Confluence install. Default <c>read:page:confluence read:space:confluence write:page:confluence</c>.</summary>
    public IList<string> ConfluenceScopes { get; set; } = ["read:page:confluence", "read:space:confluence", "write:page:confluence"];

    /// <summary>The authorize endpoint. Default <c>https://auth.atlassian.com/authorize</c>.</summary>
    [Required]
    public Uri AuthorizeEndpoint { get; set; } = new("https://auth.atlassian.com/authorize");

    /// <summary>The token endpoint. Default <c>https://auth.atlassian.com/oauth/token</c>.</summary>
    [Required]
    public Uri TokenEndpoint { get; set; } = new("https://auth.atlassian.com/oauth/token");

    /// <summary>
    /// The API gateway: requests go to <c>{ApiBaseUrl}/ex/jira/{cloudId}</c> and
    /// <c>{ApiBaseUrl}/ex/confluence/{cloudId}</c>, accessible resources to
    /// <c>{ApiBaseUrl}/oauth/token/accessible-resources</c>. Default <c>https://api.atlassian.com</c>.
    /// </summary>
    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://api.atlassian.com");

    /// <summary>
    /// Site origins accepted in a record's <c>site_url</c> besides <c>https://{site}.atlassian.net</c>
    /// (e.g. an Atlassian custom domain, or a local fake on <c>http://127.0.0.1:port</c>). A Basic
    /// connection sends its email and API token to its site, so any other host is refused when a
    /// connection is created and when it is resolved. Matched on scheme, host and port. Default empty.
    /// </summary>
    public IList<Uri> AdditionalSiteUrls { get; set; } = [];

    /// <summary>
    /// How long a pending site selection (an install whose user can reach several sites) waits for
    /// the user's choice. Default 10 minutes; from 10 seconds to 1 hour.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan SiteSelectionLifetime { get; set; } = DefaultSiteSelectionLifetime;

    /// <summary>The default of <see cref="SiteSelectionLifetime"/>: 10 minutes.</summary>
    internal static readonly TimeSpan DefaultSiteSelectionLifetime = TimeSpan.FromMinutes(10);
}
