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

    Uri BuildAuthorizeUrl(string provider, IReadOnlyList<string> scopes, Uri redirectUri, string state);

    /// <summary>Exchanges the code and builds the payload (or asks the caller to choose, e.g. an Atlassian site).</summary>
    Task<InstallResult> CompleteAsync(OAuthStatePayload state, OAuthCallback callback, CancellationToken cancellationToken);

    /// <summary>Whether a stored integration is an earlier install of the same site or workspace.</summary>
    bool IsSameConnection(Integration existing, Integration installed);
}
