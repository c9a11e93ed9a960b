using Scoutflo.Http.Integrations.Http.Internal;
using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.Providers.Slack;

/// <summary>
/// Slack OAuth v2: form-encoded token requests with the client credentials as HTTP Basic;
/// errors as HTTP 200 <c>{"ok":false,"error":...}</c>, on the token endpoint and on every Web
/// API call; a bot token and, where granted, a user token, each rotating on its own.
/// </summary>
internal sealed class SlackOAuthProvider(
    TokenEndpointClient tokenEndpoint,
    IOptionsMonitor<SlackOptions> options,
    TimeProvider timeProvider,
    ILogger<SlackOAuthProvider> logger) : IOAuthProvider
{
    /// <summary>A small JSON body with a known length is buffered whole (it stays readable as usual).</summary>
    internal const int MaxBufferedBodyBytes = 16 * 1024;

    /// <summary>Of any other JSON body only this much is read, and replayed ahead of the rest of the stream.</summary>
    internal const int PeekBytes = 4 * 1024;

    public IReadOnlyCollection<string> Providers { get; } = [IntegrationProviders.Slack];

    public bool SharesGrantAcrossProducts => false;

    public ICredentialApplier CreateApplier(Integration integration, OAuthTokenManager tokens, TimeProvider time)
    {
        var bot = new OAuthCredentialApplier(new OAuthConnection(integration, this, OAuthTokenSlot.Primary), tokens, time);
        var hasUserToken = integration.GetCredential(IntegrationCredentialKeys.UserAccessToken) is not null
            || integration.GetCredential(IntegrationCredentialKeys.UserRefreshToken) is not null;
        var user = hasUserToken
            ? new OAuthCredentialApplier(new OAuthConnection(integration, this, OAuthTokenSlot.User), tokens, time)
            : null;
        return new SlackCredentialApplier(integration.Id, bot, user);
    }

    public async Task<OAuthTokenResponse> RefreshAsync(Integration integration, OAuthTokenSlot slot, string refreshToken, CancellationToken cancellationToken)
    {
        var body = await PostAsync(
        [
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
        ], cancellationToken).ConfigureAwait(false);

        // A refreshed token comes at the top level, the user's too (token_type "user"); some
        // answers nest it under authed_user as a code exchange does.
        return OAuthJson.String(body, "access_token") is not null
            ? Parse(body)
            : body.TryGetProperty("authed_user", out var user) && OAuthJson.String(user, "access_token") is not null
                ? Parse(user)
                : throw OAuthJson.Invalid(IntegrationProviders.Slack, "has no 'access_token'");
    }

    /// <summary>Exchanges an install's code; returns Slack's whole answer (bot token at the top, user token under <c>authed_user</c>).</summary>
    public Task<JsonElement> ExchangeCodeAsync(string code, Uri redirectUri, CancellationToken cancellationToken) =>
        PostAsync(
        [
            new("code", code),
            new("redirect_uri", redirectUri.AbsoluteUri),
        ], cancellationToken);

    /// <summary>
    /// Slack names its tokens by kind: <c>bot</c> at the top level, <c>user</c> under
    /// <c>authed_user</c> (and at the top of a refreshed user token). Both are sent as Bearer;
    /// <c>bearer</c> and an absent type are accepted too, anything else is refused.
    /// </summary>
    internal static readonly IReadOnlyCollection<string> TokenTypes = ["bot", "user", "bearer"];

    /// <summary>One token family of a token response (the top level, or <c>authed_user</c>).</summary>
    public OAuthTokenResponse Parse(JsonElement family) =>
        OAuthJson.ParseStandard(IntegrationProviders.Slack, family, timeProvider.GetUtcNow(), scopeSeparator: ',', tokenTypes: TokenTypes);

    public Uri BuildAuthorizeUrl(IEnumerable<string> botScopes, IEnumerable<string> userScopes, Uri redirectUri, string state)
    {
        var settings = Configured();
        var pairs = new List<string>
        {
            Pair("client_id", settings.ClientId),
            Pair("scope", string.Join(',', botScopes)),
        };
        var user = string.Join(',', userScopes);
        if (user.Length > 0)
        {
            pairs.Add(Pair("user_scope", user));
        }

        pairs.Add(Pair("redirect_uri", redirectUri.AbsoluteUri));
        pairs.Add(Pair("state", state));
        return new UriBuilder(settings.AuthorizeEndpoint) { Query = string.Join('&', pairs) }.Uri;

        static string Pair(string name, string value) => $"{name}={Uri.EscapeDataString(value)}";
    }

    public IList<string> BotScopes => options.CurrentValue.BotScopes;

    public IList<string> UserScopes => options.CurrentValue.UserScopes;

    public Uri RedirectUri() => Configured().RedirectUri ?? throw new IntegrationException(IntegrationErrorCodes.OAuthNotConfigured,
        "Installs need Slack:RedirectUri (SlackOptions.RedirectUri), the callback URL registered with the Slack app; it is not set. A service that only calls APIs does not need it.")
    {
        Provider = IntegrationProviders.Slack,
    };

    // A refresh token Slack no longer knows (or a workspace that is gone) cannot be mended by
    // trying again; bad client credentials can, by fixing the configuration, so they are not here.
    public bool IsDeadGrant(OAuthTokenRequestException exception) =>
        exception.ErrorCode == IntegrationErrorCodes.TokenRequestFailed
        && exception.ProviderError is "invalid_refresh_token" or "invalid_grant" or "token_revoked"
            or "account_inactive" or "app_uninstalled" or "invalid_auth";

    public async ValueTask<CredentialRejection> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return CredentialRejection.Refresh;
        }

        // A 429 (ratelimited) is the resilience handler's business; other failures carry no
        // credential verdict. Slack's own verdicts come in the JSON body of a 200.
        if (response.StatusCode != HttpStatusCode.OK || !IsJson(response.Content))
        {
            return CredentialRejection.None;
        }

        ReadOnlyMemory<byte> body;
        bool complete;
        if (response.Content.Headers.ContentLength is <= MaxBufferedBodyBytes)
        {
            await response.Content.LoadIntoBufferAsync(MaxBufferedBodyBytes, cancellationToken).ConfigureAwait(false);
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            complete = true;
        }
        else
        {
            (body, complete) = await PeekedContent.PeekAsync(response, PeekBytes, cancellationToken).ConfigureAwait(false);
        }

        var error = SlackErrorBody.Read(body.Span, complete);
        var verdict = error switch
        {
            "token_expired" => CredentialRejection.Refresh,
            "invalid_auth" or "not_authed" or "token_revoked" or "account_inactive" => CredentialRejection.Reauthorize,
            _ => CredentialRejection.None,
        };
        if (verdict != CredentialRejection.None)
        {
            SlackLog.CredentialRefused(logger, error!, verdict.ToString());
        }

        return verdict;
    }

    private static bool IsJson(HttpContent? content) =>
        content?.Headers.ContentType?.MediaType is { } mediaType
        && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private async Task<JsonElement> PostAsync(IReadOnlyList<KeyValuePair<string, string>> fields, CancellationToken cancellationToken)
    {
        var settings = Configured();
        var request = new TokenRequest(IntegrationProviders.Slack, settings.TokenEndpoint, fields, TokenRequestFormat.Form, (settings.ClientId, settings.ClientSecret));
        var body = await tokenEndpoint.PostAsync(request, cancellationToken).ConfigureAwait(false);

        // Slack refuses with HTTP 200: the body's "ok" is the real status.
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("ok", out var ok) || ok.ValueKind != JsonValueKind.True)
        {
            // Cleaned: the error code is provider text, and may quote what it was sent.
            var error = ProviderText.Clean(OAuthJson.String(body, "error"), request);
            throw new OAuthTokenRequestException(IntegrationErrorCodes.TokenRequestFailed,
                $"The slack token endpoint refused the request: {error ?? "no error code"}.", HttpStatusCode.OK, error);
        }

        return body;
    }

    private SlackOptions Configured()
    {
        var settings = options.CurrentValue;
        if (string.IsNullOrEmpty(settings.ClientId))
        {
            throw NotConfigured(nameof(SlackOptions.ClientId));
        }

        if (string.IsNullOrEmpty(settings.ClientSecret))
        {
            throw NotConfigured(nameof(SlackOptions.ClientSecret));
        }

        return settings;
    }

    private static IntegrationException NotConfigured(string setting) =>
        new(IntegrationErrorCodes.OAuthNotConfigured,
            $"The Slack app is not configured ({setting} is missing): call AddSlack(...) with the app's settings.")
        {
            Provider = IntegrationProviders.Slack,
        };
}
