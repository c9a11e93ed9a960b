using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Providers.OAuth2.Internal;

namespace Scoutflo.Http.Integrations.Providers.OAuth2;

/// <summary>
/// A configured OAuth 2.0 provider on the request path: refresh at <see cref="OAuth2ProviderOptions.TokenUrl"/>,
/// a 401 mended by one refresh, the configured error codes taken as a dead grant.
/// </summary>
internal sealed class OAuth2OAuthProvider(
    string name,
    TokenEndpointClient tokenEndpoint,
    IOptionsMonitor<OAuth2ProviderOptions> options,
    TimeProvider timeProvider) : IOAuthProvider
{
    public string Name => name;

    public IReadOnlyCollection<string> Providers { get; } = [name];

    public bool SharesGrantAcrossProducts => false;

    public OAuth2ProviderOptions Settings => options.Get(name);

    public async Task<OAuthTokenResponse> RefreshAsync(Integration integration, OAuthTokenSlot slot, string refreshToken, CancellationToken cancellationToken)
    {
        var settings = Settings;
        var tokens = await PostAsync(settings, OAuth2TokenRequests.Refresh(name, settings, refreshToken), cancellationToken).ConfigureAwait(false);
        if (settings.RefreshTokensRotate && tokens.RefreshToken is null)
        {
            throw OAuthJson.Invalid(name, $"to a refresh carries no '{settings.TokenResponse.RefreshTokenField}', though {nameof(OAuth2ProviderOptions.RefreshTokensRotate)} says the provider rotates them");
        }

        return tokens;
    }

    public Task<OAuthTokenResponse> ExchangeCodeAsync(string code, Uri redirectUri, string? codeVerifier, CancellationToken cancellationToken)
    {
        var settings = Settings;
        return PostAsync(settings, OAuth2TokenRequests.Code(name, settings, code, redirectUri, codeVerifier), cancellationToken);
    }

    public bool IsDeadGrant(OAuthTokenRequestException exception) =>
        exception.ErrorCode == IntegrationErrorCodes.TokenRequestFailed
        && exception.ProviderError is { } error
        && Settings.TokenResponse.DeadGrantErrors.Contains(error, StringComparer.Ordinal);

    public ValueTask<CredentialRejection> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        ValueTask.FromResult(response.StatusCode == HttpStatusCode.Unauthorized ? CredentialRejection.Refresh : CredentialRejection.None);

    private async Task<OAuthTokenResponse> PostAsync(OAuth2ProviderOptions settings, TokenRequest request, CancellationToken cancellationToken)
    {
        var body = await tokenEndpoint.PostAsync(request, cancellationToken).ConfigureAwait(false);
        return OAuth2TokenResponseReader.Read(name, settings, request, body, timeProvider.GetUtcNow());
    }
}
