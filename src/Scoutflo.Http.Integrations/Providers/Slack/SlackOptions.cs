using System.ComponentModel.DataAnnotations;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// The Slack app (OAuth v2) and Slack's endpoints (overridable so that tests can point them at
/// a fake). Bound from the <c>Slack</c> configuration section by <c>AddSlack(IConfiguration)</c>.
/// </summary>
public sealed class SlackOptions
{
    /// <summary>The app's client id. Required; no default.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The app's client secret, sent to the token endpoint as HTTP Basic. Required; no default. Never logged.</summary>
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>The redirect URL registered with the app. Required; no default.</summary>
    public Uri? RedirectUri { get; set; }

    /// <summary>
    /// Bot scopes asked for (the authorize URL's <c>scope</c>). Default <c>chat:write</c>,
    /// <c>channels:read</c>. At least one is needed: the connection's requests use the bot token by default.
    /// </summary>
    public IList<string> BotScopes { get; set; } = ["chat:write", "channels:read"];

    /// <summary>
    /// User scopes asked for (the authorize URL's <c>user_scope</c>); when granted, the
    /// connection also holds the installing user's token. Default empty (no user token).
    /// </summary>
    public IList<string> UserScopes { get; set; } = [];

    /// <summary>The authorize endpoint. Default <c>https://slack.com/oauth/v2/authorize</c>.</summary>
    [Required]
    public Uri AuthorizeEndpoint { get; set; } = new("https://slack.com/oauth/v2/authorize");

    /// <summary>The token endpoint (code exchange and refresh). Default <c>https://slack.com/api/oauth.v2.access</c>.</summary>
    [Required]
    public Uri TokenEndpoint { get; set; } = new("https://slack.com/api/oauth.v2.access");

    /// <summary>The Web API base: method names are paths under it. Default <c>https://slack.com/api</c>.</summary>
    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api");

    /// <summary>
    /// Other hosts a record's <c>base_url</c> may name (e.g. GovSlack's <c>https://slack-gov.com/api</c>).
    /// A record's <c>base_url</c> is honoured only on the origin of <see cref="ApiBaseUrl"/> or of
    /// one of these; any other is refused when a connection is created and when it is resolved.
    /// Matched on scheme, host and port. Default empty.
    /// </summary>
    public IList<Uri> AdditionalApiBaseUrls { get; set; } = [];
}
