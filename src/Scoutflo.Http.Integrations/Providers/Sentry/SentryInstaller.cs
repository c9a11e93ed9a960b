using Scoutflo.Http.Integrations.Install.Internal;
using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations.Providers.Sentry;

/// <summary>
/// The Sentry-app install. The user is sent to Sentry's external-install page with our signed
/// state; Sentry forwards it to the app's redirect URL with <c>code</c>, <c>installationId</c>
/// and <c>orgSlug</c>. The code is exchanged on the install's host, which the connection keeps
/// (<c>base_url</c>) with the installation id.
/// </summary>
internal sealed class SentryInstaller(SentryOAuthProvider oauth) : IOAuthInstaller
{
    public IReadOnlyCollection<string> Providers => oauth.Providers;

    public Uri RedirectUri(string provider) => oauth.RedirectUri();

    public Uri? ResolveBaseUrl(InstallRequest request) => oauth.ResolveBaseUrl(request.BaseUrl);

    // A Sentry app's permissions are fixed in its settings: the install URL asks for none.
    public Task<(IReadOnlyList<string> Scopes, IReadOnlyList<string> SiblingIds)> ResolveScopesAsync(InstallRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(((IReadOnlyList<string>)[], (IReadOnlyList<string>)[]));

    public Uri BuildAuthorizeUrl(string provider, IReadOnlyList<string> scopes, Uri redirectUri, Uri? baseUrl, string state) =>
        oauth.BuildInstallUrl(baseUrl ?? oauth.ResolveBaseUrl(null), state);

    public async Task<InstallResult> CompleteAsync(OAuthStatePayload state, OAuthCallback callback, CancellationToken cancellationToken)
    {
        if (callback.InstallationId is not { } installationId || !SentryOAuthProvider.IsPathSegment(installationId))
        {
            throw new IntegrationException(IntegrationErrorCodes.CallbackInvalid, "The Sentry callback carried no usable installationId.")
            {
                Provider = state.Provider,
            };
        }

        // The host comes from the signed state, never from the callback: the client secret goes there.
        var baseUrl = oauth.ResolveBaseUrl(state.BaseUrl is { } b ? new Uri(b) : null);
        var tokens = await oauth.ExchangeCodeAsync(baseUrl, installationId, callback.Code!, cancellationToken).ConfigureAwait(false);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [IntegrationMetadataKeys.BaseUrl] = baseUrl.AbsoluteUri.TrimEnd('/'),
            [IntegrationMetadataKeys.InstallationId] = installationId,
        };
        if (!string.IsNullOrEmpty(callback.OrganizationSlug))
        {
            metadata[IntegrationMetadataKeys.OrganizationSlug] = callback.OrganizationSlug;
        }

        var integration = StoredTokens.WithTokens(new Integration
        {
            Provider = IntegrationProviders.Sentry,
            AccountId = state.AccountId,
            CreatedBy = state.UserId,
            AuthType = IntegrationAuthTypes.OAuth2,
            Metadata = metadata,
            Scopes = tokens.Scopes,
            Status = IntegrationStatus.Active,
        }, OAuthTokenSlot.Primary, tokens.AccessToken, tokens.RefreshToken, tokens.ExpiresAt);
        return new InstallResult(integration, state.ReturnUrl, []);
    }

    public bool IsSameConnection(Integration existing, Integration installed) =>
        existing.GetMetadata(IntegrationMetadataKeys.InstallationId) is { } id
        && string.Equals(id, installed.GetMetadata(IntegrationMetadataKeys.InstallationId), StringComparison.Ordinal)
        && string.Equals(existing.GetMetadata(IntegrationMetadataKeys.BaseUrl)?.TrimEnd('/'), installed.GetMetadata(IntegrationMetadataKeys.BaseUrl)?.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}
