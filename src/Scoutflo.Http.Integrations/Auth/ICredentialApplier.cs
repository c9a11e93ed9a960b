namespace Scoutflo.Http.Integrations;

/// <summary>
/// Attaches one connection's credential to outgoing requests. Made once per resolved
/// connection, so that the per-request work is only the header (static credentials complete
/// synchronously, with no I/O).
/// </summary>
public interface ICredentialApplier
{
    /// <summary>Attaches the credential to a request already pointed at the API base.</summary>
    /// <param name="request">The outgoing request.</param>
    /// <param name="cancellationToken">Cancels token acquisition.</param>
    ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken);

    /// <summary>Whether <see cref="RefreshAsync"/> can obtain a new credential (OAuth).</summary>
    bool CanRefresh { get; }

    /// <summary>
    /// After the provider refused <paramref name="failedRequest"/>'s credential: drops it from
    /// the caches if it is still the current one and obtains a new one. Returns whether a
    /// resend is worth it.
    /// </summary>
    /// <param name="failedRequest">The request whose credential was refused.</param>
    /// <param name="cancellationToken">Cancels the refresh.</param>
    ValueTask<bool> RefreshAsync(HttpRequestMessage failedRequest, CancellationToken cancellationToken);
}
