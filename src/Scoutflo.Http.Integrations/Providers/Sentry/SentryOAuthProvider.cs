using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.Providers.Sentry;

/// <summary>
/// Sentry-app installations: both grants go to
/// <c>{base}/api/0/sentry-app-installations/{installationId}/authorizations/</c> as JSON with the
/// client credentials in the body; the answer is camelCase with an <c>expiresAt</c> timestamp.
/// The base is the connection's own (sentry.io, a regional or a self-hosted host).
/// </summary>
internal sealed class SentryOAuthProvider(
    TokenEndpointClient tokenEndpoint,
    IOptionsMonitor<SentryOptions> options,
    TimeProvider timeProvider,
    ILogger<SentryOAuthProvider> logger) : IOAuthProvider
{
    public IReadOnlyCollection<string> Providers { get; } = [IntegrationProviders.Sentry];

    public bool SharesGrantAcrossProducts => false;

    public Task<OAuthTokenResponse> RefreshAsync(Integration integration, OAuthTokenSlot slot, string refreshToken, CancellationToken cancellationToken)
    {
        var baseUrl = ProviderUrls.RequireBase(integration, IntegrationMetadataKeys.BaseUrl, SentryProvider.DefaultBaseUrl);
        if (!IsAllowedBase(baseUrl))
        {
            SentryLog.BaseRefused(logger, integration.Id, baseUrl.GetLeftPart(UriPartial.Authority));
            throw new IntegrationException(IntegrationErrorCodes.OAuthNotConfigured,
                $"Sentry integration '{integration.Id}' lives on a host that is not SentryOptions.BaseUrl or one of its AdditionalBaseUrls; the app's secret is not sent there.")
            {
                IntegrationId = integration.Id,
                Provider = IntegrationProviders.Sentry,
            };
        }

        var installationId = integration.GetMetadata(IntegrationMetadataKeys.InstallationId) is { } id && IsPathSegment(id)
            ? id
            : throw new IntegrationException(IntegrationErrorCodes.RecordInvalid,
                $"Sentry integration '{integration.Id}' has no usable '{IntegrationMetadataKeys.InstallationId}'.")
            {
                IntegrationId = integration.Id,
                Provider = IntegrationProviders.Sentry,
            };
        return RequestAsync(baseUrl, installationId, "refresh_token", refreshToken, cancellationToken);
    }

    public Task<OAuthTokenResponse> ExchangeCodeAsync(Uri baseUrl, string installationId, string code, CancellationToken cancellationToken) =>
        RequestAsync(baseUrl, installationId, "authorization_code", code, cancellationToken);

    /// <summary>Sentry's external-install page; it forwards our <c>state</c> to the app's redirect URL with the code.</summary>
    public Uri BuildInstallUrl(Uri baseUrl, string state)
    {
        var settings = Configured();
        return new Uri($"{baseUrl.AbsoluteUri.TrimEnd('/')}/sentry-apps/{Uri.EscapeDataString(settings.AppSlug)}/external-install/?state={Uri.EscapeDataString(state)}");
    }

    /// <summary>The install's host: the one asked for if the app allows it, else the app's default.</summary>
    public Uri ResolveBaseUrl(Uri? requested)
    {
        var settings = Configured();
        if (requested is null)
        {
            return settings.BaseUrl;
        }

        if (!ProviderUrls.TryParseBase(requested.IsAbsoluteUri ? requested.AbsoluteUri : requested.OriginalString, out var parsed) || !IsAllowedBase(parsed))
        {
            throw new IntegrationException(IntegrationErrorCodes.BaseUrlInvalid,
                $"Sentry host {(requested.IsAbsoluteUri ? requested.GetLeftPart(UriPartial.Authority) : "(relative)")} is not SentryOptions.BaseUrl or one of its AdditionalBaseUrls.")
            {
                Provider = IntegrationProviders.Sentry,
            };
        }

        return parsed;
    }

    public Uri RedirectUri() => Configured().RedirectUri ?? Configured().BaseUrl;

    // 401/403/404 from the authorizations endpoint mean the refresh token or the installation is
    // gone (uninstalled), except "Invalid Client ID / Secret pair", which a configuration fix mends.
    public bool IsDeadGrant(OAuthTokenRequestException exception) =>
        exception.ErrorCode == IntegrationErrorCodes.TokenRequestFailed
        && exception.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound
        && !exception.Message.Contains("Client ID", StringComparison.OrdinalIgnoreCase);

    public ValueTask<CredentialRejection> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        ValueTask.FromResult(response.StatusCode == HttpStatusCode.Unauthorized ? CredentialRejection.Refresh : CredentialRejection.None);

    internal static bool IsPathSegment(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private bool IsAllowedBase(Uri baseUrl)
    {
        var settings = options.CurrentValue;
        var candidate = Normalize(baseUrl);
        return (settings.AdditionalBaseUrls ?? []).Prepend(settings.BaseUrl)
            .Any(allowed => string.Equals(Normalize(allowed), candidate, StringComparison.OrdinalIgnoreCase));

        static string Normalize(Uri uri) => uri.AbsoluteUri.TrimEnd('/');
    }

    private async Task<OAuthTokenResponse> RequestAsync(Uri baseUrl, string installationId, string grantType, string grant, CancellationToken cancellationToken)
    {
        var settings = Configured();
        var endpoint = new Uri($"{baseUrl.AbsoluteUri.TrimEnd('/')}/api/0/sentry-app-installations/{Uri.EscapeDataString(installationId)}/authorizations/");
        var body = await tokenEndpoint.PostAsync(new TokenRequest(IntegrationProviders.Sentry, endpoint,
        [
            new("grant_type", grantType),
            new(grantType == "refresh_token" ? "refresh_token" : "code", grant),
            new("client_id", settings.ClientId),
            new("client_secret", settings.ClientSecret),
        ], TokenRequestFormat.Json), cancellationToken).ConfigureAwait(false);
        return Parse(body, timeProvider.GetUtcNow());
    }

    /// <summary>
    /// <c>token</c>, <c>refreshToken</c>, <c>expiresAt</c> (a timestamp, not a lifetime) and <c>scopes</c>.
    /// Sentry sends no token type; one that is present (either spelling) must be bearer.
    /// </summary>
    private static OAuthTokenResponse Parse(JsonElement body, DateTimeOffset now)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw OAuthJson.Invalid(IntegrationProviders.Sentry, "is not a JSON object");
        }

        var token = OAuthJson.String(body, "token") ?? throw OAuthJson.Invalid(IntegrationProviders.Sentry, "has no 'token'");
        OAuthJson.CheckTokenType(IntegrationProviders.Sentry, body, "tokenType", OAuthJson.BearerOnly);
        OAuthJson.CheckTokenType(IntegrationProviders.Sentry, body, "token_type", OAuthJson.BearerOnly);
        var expiresAt = OAuthJson.ExpiresAt(IntegrationProviders.Sentry, body, "expiresAt", now);

        var scopes = body.TryGetProperty("scopes", out var s) && s.ValueKind == JsonValueKind.Array
            ? s.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];
        return new OAuthTokenResponse(token, OAuthJson.String(body, "refreshToken"), expiresAt, scopes, body.Clone());
    }

    private SentryOptions Configured()
    {
        var settings = options.CurrentValue;
        foreach (var (value, setting) in new[]
        {
            (settings.ClientId, nameof(SentryOptions.ClientId)),
            (settings.ClientSecret, nameof(SentryOptions.ClientSecret)),
            (settings.AppSlug, nameof(SentryOptions.AppSlug)),
        })
        {
            if (string.IsNullOrEmpty(value))
            {
                throw new IntegrationException(IntegrationErrorCodes.OAuthNotConfigured,
                    $"The Sentry app is not configured ({setting} is missing): call AddSentry(...) with the app's settings.")
                {
                    Provider = IntegrationProviders.Sentry,
                };
            }
        }

        return settings;
    }
}
