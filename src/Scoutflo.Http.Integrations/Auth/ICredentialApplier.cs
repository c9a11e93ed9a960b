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

    /// <summary>Whether <see cref="TryRefreshAsync"/> can obtain a new credential (OAuth).</summary>
    bool CanRefresh { get; }

    /// <summary>
    /// Reads <paramref name="response"/> the way the provider signals a refused credential (a
    /// 401; for Slack an HTTP 200 <c>token_expired</c> body). When a refresh can mend it, drops
    /// the refused credential from the caches (only if it is still the current one), obtains a
    /// new one and returns <see langword="true"/>: the request is worth sending once more.
    /// </summary>
    /// <param name="failedRequest">The request that was sent.</param>
    /// <param name="response">Its response; left readable for the caller.</param>
    /// <param name="cancellationToken">Cancels the refresh.</param>
    ValueTask<bool> TryRefreshAsync(HttpRequestMessage failedRequest, HttpResponseMessage response, CancellationToken cancellationToken);
}
