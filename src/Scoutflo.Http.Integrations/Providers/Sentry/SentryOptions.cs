using System.ComponentModel.DataAnnotations;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// The Sentry app (a public integration) whose installations the library connects, and the
/// Sentry hosts it may be installed on. Static auth-token connections need none of this.
/// Bound from the <c>Sentry</c> configuration section by <c>AddSentry(IConfiguration)</c>.
/// </summary>
public sealed class SentryOptions
{
    /// <summary>The Sentry app's client id. Required; no default.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The Sentry app's client secret. Required; no default. Never logged.</summary>
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>
    /// The app's slug: the install URL is <c>{BaseUrl}/sentry-apps/{AppSlug}/external-install/</c>.
    /// Required; no default.
    /// </summary>
    public string AppSlug { get; set; } = string.Empty;

    /// <summary>The Sentry host installs go to unless an install names another. Default <c>https://sentry.io</c>.</summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("https://sentry.io");

    /// <summary>
    /// Other hosts an install may name (<see cref="InstallRequest.BaseUrl"/>) and that connections
    /// may refresh their tokens at: the client secret is sent to no host outside this list and
    /// <see cref="BaseUrl"/>. Default <c>https://us.sentry.io</c>, <c>https://de.sentry.io</c>;
    /// add a self-hosted host here.
    /// </summary>
    public IList<Uri> AdditionalBaseUrls { get; set; } = [new("https://us.sentry.io"), new("https://de.sentry.io")];

    /// <summary>
    /// Self-hosted Sentry hosts that auth-token connections may name in <c>base_url</c>. A record's
    /// <c>base_url</c> must be <c>https://sentry.io</c>, an https host directly under sentry.io
    /// (<c>us.sentry.io</c>, <c>de.sentry.io</c>, an organization's subdomain), <see cref="BaseUrl"/>,
    /// one of <see cref="AdditionalBaseUrls"/> or one of these; any other is refused when a
    /// connection is created and when it is resolved. Unlike <see cref="AdditionalBaseUrls"/>,
    /// the app's client secret is never sent to these hosts. Configure them with
    /// <c>services.Configure&lt;SentryOptions&gt;(...)</c> when no Sentry app is added. Matched on
    /// scheme, host and port. Default empty.
    /// </summary>
    public IList<Uri> SelfHostedBaseUrls { get; set; } = [];

    /// <summary>
    /// The redirect URL configured on the Sentry app (Sentry takes it from the app's settings,
    /// not from the install URL; it is recorded in the install's state). Optional; default none.
    /// </summary>
    public Uri? RedirectUri { get; set; }
}
