namespace Scoutflo.Http.Integrations;

/// <summary>
/// The OAuth install flow (<see cref="IntegrationInstallService"/>), as an interface an
/// application can mock in its own unit tests. Registered beside the class by
/// <c>AddScoutfloIntegrations</c>; both resolve to the same instance.
/// </summary>
public interface IIntegrationInstallService
{
    /// <summary>The URL to send the user to, carrying a signed, single-use, expiring state.</summary>
    /// <param name="request">What to install, for whom.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The provider's authorize URL.</returns>
    Task<Uri> BuildInstallUrlAsync(InstallRequest request, CancellationToken cancellationToken = default);

    // RS0026: as on the class, the overloads differ by a leading parameter, so no call is ambiguous.
#pragma warning disable RS0026

    /// <summary>Handles a callback, taking the provider from its state.</summary>
    /// <param name="callback">The callback's query parameters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The integration payload, not yet stored.</returns>
    Task<InstallResult> HandleCallbackAsync(OAuthCallback callback, CancellationToken cancellationToken = default);

    /// <summary>Handles the callback of <paramref name="provider"/>: state, code exchange, the provider's post-install steps.</summary>
    /// <param name="provider">The provider this callback endpoint serves; <see langword="null"/> to trust the state's.</param>
    /// <param name="callback">The callback's query parameters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The integration payload, not yet stored.</returns>
    Task<InstallResult> HandleCallbackAsync(string? provider, OAuthCallback callback, CancellationToken cancellationToken = default);

#pragma warning restore RS0026

    /// <summary>Handles a callback and stores the result with <see cref="SaveAsync"/>.</summary>
    /// <param name="provider">The provider this callback endpoint serves; <see langword="null"/> to trust the state's.</param>
    /// <param name="callback">The callback's query parameters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored integration.</returns>
    Task<Integration> HandleCallbackAndSaveAsync(string? provider, OAuthCallback callback, CancellationToken cancellationToken = default);

    /// <summary>Finishes an install that stopped for the user's site choice (see <c>AtlassianSiteSelectionRequiredException</c>).</summary>
    /// <param name="selectionHandle">The one-time handle the callback gave.</param>
    /// <param name="cloudId">The chosen site's cloud id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The integration payload, not yet stored.</returns>
    Task<InstallResult> CompleteSiteSelectionAsync(string selectionHandle, string cloudId, CancellationToken cancellationToken = default);

    /// <summary>Stores an install: updates an earlier integration of the same site or workspace, or creates one.</summary>
    /// <param name="result">The result of a callback.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored integration.</returns>
    Task<Integration> SaveAsync(InstallResult result, CancellationToken cancellationToken = default);
}
