namespace Scoutflo.Http.Integrations;

/// <summary>
/// A request was aimed at a host other than the integration's own API host
/// (<c>integration_host_not_allowed</c>). It is refused before anything is sent, so a
/// credential never reaches a host it does not belong to.
/// </summary>
public sealed class IntegrationHostNotAllowedException : IntegrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="integrationId">The integration whose credential would have been attached.</param>
    /// <param name="requestedOrigin">The scheme, host and port that were refused (no path or query).</param>
    /// <param name="allowedOrigin">The integration's API origin.</param>
    public IntegrationHostNotAllowedException(string integrationId, string requestedOrigin, string allowedOrigin)
        : base(IntegrationErrorCodes.HostNotAllowed,
            $"Integration '{integrationId}' may only call {allowedOrigin}; a request to {requestedOrigin} was refused before it was sent.")
    {
        IntegrationId = integrationId;
        RequestedOrigin = requestedOrigin;
    }

    /// <summary>The scheme, host and port of the refused request.</summary>
    public string RequestedOrigin { get; }
}
