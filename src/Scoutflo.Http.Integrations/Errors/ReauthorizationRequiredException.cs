namespace Scoutflo.Http.Integrations;

/// <summary>
/// The provider no longer accepts the integration's grant (e.g. <c>invalid_grant</c>): the
/// integration is marked <see cref="IntegrationStatus.ReauthorizationRequired"/> and every call
/// fails fast with this exception (<c>integration_reauthorization_required</c>) until the user
/// installs it again.
/// </summary>
public sealed class ReauthorizationRequiredException : IntegrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="integrationId">The integration that needs re-authorisation.</param>
    /// <param name="provider">Its provider.</param>
    /// <param name="reason">The provider's error code (e.g. <c>invalid_grant</c>), never a token.</param>
    public ReauthorizationRequiredException(string integrationId, string provider, string? reason = null)
        : base(IntegrationErrorCodes.ReauthorizationRequired,
            $"Integration '{integrationId}' ({provider}) must be installed again: the provider no longer accepts its grant{(reason is null ? "" : $" ({reason})")}.")
    {
        IntegrationId = integrationId;
        Provider = provider;
        Reason = reason;
    }

    /// <summary>The provider's error code, when known.</summary>
    public string? Reason { get; }
}
