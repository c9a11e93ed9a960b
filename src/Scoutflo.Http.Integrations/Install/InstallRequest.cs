namespace Scoutflo.Http.Integrations;

/// <summary>What <see cref="IntegrationInstallService.BuildInstallUrlAsync"/> needs to start an install.</summary>
public sealed class InstallRequest
{
    /// <summary>The provider to install (<c>jira</c>, <c>jsm</c>, <c>confluence</c>, <c>slack</c>, <c>sentry</c>).</summary>
    public required string Provider { get; init; }

    /// <summary>
    /// The consuming service's account that will own the connection. Required without an
    /// <see cref="IIntegrationIdentityResolver"/>; with one, optional, and when given it must be
    /// the account the resolver returns for <see cref="UserId"/> (otherwise
    /// <c>integration_account_mismatch</c>). Never take it from the query string unchecked.
    /// </summary>
    public string? AccountId { get; init; }

    /// <summary>
    /// The signed-in user who installs, from the application's authentication: recorded as
    /// <see cref="Integration.CreatedBy"/> (unless the resolver names another creator), and the
    /// user an <see cref="IIntegrationIdentityResolver"/> is asked about (then required).
    /// </summary>
    public string? UserId { get; init; }

    /// <summary>Scopes asked for in addition to the provider's configured defaults. Optional.</summary>
    public IReadOnlyCollection<string>? Scopes { get; init; }

    /// <summary>
    /// Sentry: the host to install on and to call afterwards (<c>https://us.sentry.io</c>, a
    /// self-hosted host, ...). It must be the Sentry app's <c>BaseUrl</c> or one of its
    /// <c>AdditionalBaseUrls</c>, because the app's client secret is sent there. Optional; default
    /// the app's <c>BaseUrl</c>. Other providers ignore it.
    /// </summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>Where the consuming service wants to send the user after the callback; echoed back in <see cref="InstallResult.ReturnUrl"/>. Optional.</summary>
    public string? ReturnUrl { get; init; }
}
