namespace Scoutflo.Http.Integrations;

/// <summary>
/// The application's answer to "which account does this user install for?". When one is
/// registered (<c>AddIdentityResolver</c>), <see cref="IntegrationInstallService"/> asks it for the
/// account of the user named in <see cref="InstallRequest.UserId"/> and never takes the account
/// from the request alone: a request naming another account is refused
/// (<c>integration_account_mismatch</c>). The user id must come from the application's
/// authentication (the signed-in user), never from the request's query string or body.
/// </summary>
public interface IIntegrationIdentityResolver
{
    /// <summary>Resolves the account (and the recorded creator) of an installing user.</summary>
    /// <param name="context">The installing user and the provider being installed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The account the integration will belong to.</returns>
    ValueTask<IntegrationIdentity> ResolveAsync(IntegrationIdentityContext context, CancellationToken cancellationToken);
}

/// <summary>What <see cref="IIntegrationIdentityResolver"/> is asked about.</summary>
public sealed class IntegrationIdentityContext
{
    /// <summary>The installing user's id, as the application's authentication knows it.</summary>
    public required string UserId { get; init; }

    /// <summary>The provider being installed (<c>jira</c>, <c>slack</c>, ...).</summary>
    public required string Provider { get; init; }
}

/// <summary>The account an install belongs to, as <see cref="IIntegrationIdentityResolver"/> decided.</summary>
public sealed class IntegrationIdentity
{
    /// <summary>The account that will own the integration (its <c>account_id</c>).</summary>
    public required string AccountId { get; init; }

    /// <summary>Recorded as <see cref="Integration.CreatedBy"/>. Optional; default the installing user's id.</summary>
    public string? CreatedBy { get; init; }
}
