using Scoutflo.Http.Integrations.Install.Internal;
using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Providers.OAuth2.Internal;

namespace Scoutflo.Http.Integrations.Providers.OAuth2;

/// <summary>
/// A configured OAuth 2.0 provider's install: the authorize URL (with the PKCE challenge), the
/// code exchange (with the verifier), and the connection it makes. A user's new install of the
/// provider for the same account replaces their earlier connection.
/// </summary>
internal sealed class OAuth2Installer(OAuth2OAuthProvider oauth, OAuth2Pkce pkce) : IOAuthInstaller
{
    public IReadOnlyCollection<string> Providers => oauth.Providers;

    public Uri RedirectUri(string provider) =>
        oauth.Settings.RedirectUri ?? throw new IntegrationException(IntegrationErrorCodes.OAuthNotConfigured,
            $"Installs of OAuth 2.0 provider '{oauth.Name}' need its RedirectUri (the callback URL registered with the app); it is not set.")
        {
            Provider = oauth.Name,
        };

    public Task<(IReadOnlyList<string> Scopes, IReadOnlyList<string> SiblingIds)> ResolveScopesAsync(InstallRequest request, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> scopes = [.. oauth.Settings.DefaultScopes.Concat(request.Scopes ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.Ordinal)];
        return Task.FromResult((scopes, (IReadOnlyList<string>)[]));
    }

    public Uri BuildAuthorizeUrl(string provider, IReadOnlyList<string> scopes, Uri redirectUri, Uri? baseUrl, string state)
    {
        var settings = oauth.Settings;
        return OAuth2AuthorizeUrl.Build(settings, scopes, redirectUri, state, settings.UsePkce ? OAuth2Pkce.Challenge(pkce.Verifier(state)) : null);
    }

    public async Task<InstallResult> CompleteAsync(OAuthStatePayload state, OAuthCallback callback, CancellationToken cancellationToken)
    {
        var settings = oauth.Settings;

        // The install service has checked this state's signature and spent its nonce; the
        // verifier is the one its authorize URL's challenge was made from.
        var verifier = settings.UsePkce ? pkce.Verifier(callback.State!) : null;
        var tokens = await oauth.ExchangeCodeAsync(callback.Code!, new Uri(state.RedirectUri), verifier, cancellationToken).ConfigureAwait(false);
        var integration = StoredTokens.WithTokens(new Integration
        {
            Provider = oauth.Name,
            AccountId = state.AccountId,
            CreatedBy = state.UserId,
            AuthType = IntegrationAuthTypes.OAuth2,
            Metadata = new Dictionary<string, string>(StringComparer.Ordinal),
            // Providers that grant exactly what was asked may not repeat it (RFC 6749 5.1).
            Scopes = tokens.Scopes.Count > 0 ? tokens.Scopes : state.Scopes,
            Status = IntegrationStatus.Active,
        }, OAuthTokenSlot.Primary, tokens.AccessToken, tokens.RefreshToken, tokens.ExpiresAt);
        return new InstallResult(integration, state.ReturnUrl, []);
    }

    // A generic token response names no user or workspace: the installing user is the identity.
    public bool IsSameConnection(Integration existing, Integration installed) =>
        existing.AuthType == IntegrationAuthTypes.OAuth2
        && existing.CreatedBy is { Length: > 0 } user
        && string.Equals(user, installed.CreatedBy, StringComparison.Ordinal);
}
