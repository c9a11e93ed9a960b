using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations.Install.Internal;

/// <summary>A provider's install flow: authorize URL, code exchange, the integration payload.</summary>
internal interface IOAuthInstaller
{
    IReadOnlyCollection<string> Providers { get; }

    /// <summary>The redirect URI registered for the provider.</summary>
    Uri RedirectUri(string provider);

    /// <summary>The scopes to ask for, and the existing integrations whose scopes were included.</summary>
    Task<(IReadOnlyList<string> Scopes, IReadOnlyList<string> SiblingIds)> ResolveScopesAsync(InstallRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// The provider host the install is for, when it varies per connection (Sentry: sentry.io, a
    /// regional or a self-hosted host); checked here, carried in the signed state.
    /// </summary>
    Uri? ResolveBaseUrl(InstallRequest request) => null;

    /// <param name="provider">The provider.</param>
    /// <param name="scopes">The scopes from <see cref="ResolveScopesAsync"/>.</param>
    /// <param name="redirectUri">The redirect URI.</param>
    /// <param name="baseUrl">The host from <see cref="ResolveBaseUrl"/>, if any.</param>
    /// <param name="state">The signed state.</param>
    Uri BuildAuthorizeUrl(string provider, IReadOnlyList<string> scopes, Uri redirectUri, Uri? baseUrl, string state);

    /// <summary>Exchanges the code and builds the payload (or asks the caller to choose, e.g. an Atlassian site).</summary>
    Task<InstallResult> CompleteAsync(OAuthStatePayload state, OAuthCallback callback, CancellationToken cancellationToken);

    /// <summary>Whether a stored integration is an earlier install of the same site or workspace.</summary>
    bool IsSameConnection(Integration existing, Integration installed);

    /// <summary>
    /// Whether a callback of this provider may stop for the user's choice (Atlassian: several
    /// sites granted), to be finished by <see cref="CompleteSelectionAsync"/>.
    /// </summary>
    bool CompletesSelections => false;

    /// <summary>Finishes an install that stopped for the user's choice: the one-time handle it gave, and the option chosen.</summary>
    Task<InstallResult> CompleteSelectionAsync(string selectionHandle, string choice, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This provider's installs never wait for a choice.");
}
