using System.Net.Http.Json;
using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations.Providers.Atlassian;

/// <summary>
/// Atlassian OAuth 2.0 (3LO): JSON token requests with the client credentials in the body,
/// rotating refresh tokens shared by the Jira, JSM and Confluence integrations of one user.
/// </summary>
internal sealed class AtlassianOAuthProvider(
    TokenEndpointClient tokenEndpoint,
    IOptionsMonitor<AtlassianOptions> options,
    TimeProvider timeProvider) : IOAuthProvider
{
    /// <summary>The scope without which Atlassian issues no refresh token.</summary>
    public const string OfflineAccess = "offline_access";

    private const int MaxClassifiedBodyBytes = 16 * 1024;

    public IReadOnlyCollection<string> Providers { get; } = [IntegrationProviders.Jira, IntegrationProviders.Jsm, IntegrationProviders.Confluence];

    public bool SharesGrantAcrossProducts => true;

    public async Task<OAuthTokenResponse> RefreshAsync(Integration integration, OAuthTokenSlot slot, string refreshToken, CancellationToken cancellationToken)
    {
        var settings = Configured(integration.Provider);
        var body = await tokenEndpoint.PostAsync(new TokenRequest(integration.Provider, settings.TokenEndpoint,
        [
            new("grant_type", "refresh_token"),
            new("client_id", settings.ClientId),
            new("client_secret", settings.ClientSecret),
            new("refresh_token", refreshToken),
        ], TokenRequestFormat.Json), cancellationToken).ConfigureAwait(false);
        return OAuthJson.ParseStandard(integration.Provider, body, timeProvider.GetUtcNow());
    }

    public async Task<OAuthTokenResponse> ExchangeCodeAsync(string provider, string code, Uri redirectUri, CancellationToken cancellationToken)
    {
        var settings = Configured(provider);
        var body = await tokenEndpoint.PostAsync(new TokenRequest(provider, settings.TokenEndpoint,
        [
            new("grant_type", "authorization_code"),
            new("client_id", settings.ClientId),
            new("client_secret", settings.ClientSecret),
            new("code", code),
            new("redirect_uri", redirectUri.AbsoluteUri),
        ], TokenRequestFormat.Json), cancellationToken).ConfigureAwait(false);
        return OAuthJson.ParseStandard(provider, body, timeProvider.GetUtcNow());
    }

    /// <summary>The sites the token may reach (<c>GET {api}/oauth/token/accessible-resources</c>).</summary>
    public async Task<IReadOnlyList<AtlassianSite>> GetAccessibleResourcesAsync(string provider, string accessToken, CancellationToken cancellationToken)
    {
        var settings = Configured(provider);
        var endpoint = new Uri(settings.ApiBaseUrl.AbsoluteUri.TrimEnd('/') + "/oauth/token/accessible-resources");
        using var response = await tokenEndpoint.GetWithBearerAsync(provider, endpoint, accessToken, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new OAuthTokenRequestException(IntegrationErrorCodes.TokenRequestFailed,
                $"Atlassian accessible-resources answered HTTP {(int)response.StatusCode}.", response.StatusCode);
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
        if (body.ValueKind != JsonValueKind.Array)
        {
            throw OAuthJson.Invalid(provider, "accessible-resources is not a JSON array");
        }

        var sites = new List<AtlassianSite>();
        foreach (var item in body.EnumerateArray())
        {
            var id = OAuthJson.String(item, "id");
            var url = OAuthJson.String(item, "url");
            if (id is null || !ProviderUrls.TryParseBase(url, out var siteUrl))
            {
                continue; // a resource without an id or a usable URL cannot be connected to
            }

            var scopes = item.TryGetProperty("scopes", out var s) && s.ValueKind == JsonValueKind.Array
                ? s.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
                : [];
            Uri.TryCreate(OAuthJson.String(item, "avatarUrl"), UriKind.Absolute, out var avatar);
            sites.Add(new AtlassianSite(id, OAuthJson.String(item, "name") ?? siteUrl.Host, siteUrl, scopes, avatar));
        }

        return sites;
    }

    public Uri BuildAuthorizeUrl(string provider, IEnumerable<string> scopes, Uri redirectUri, string state)
    {
        var settings = Configured(provider);
        var query = string.Join('&',
            Pair("audience", "api.atlassian.com"),
            Pair("client_id", settings.ClientId),
            Pair("scope", string.Join(' ', scopes)),
            Pair("redirect_uri", redirectUri.AbsoluteUri),
            Pair("state", state),
            Pair("response_type", "code"),
            Pair("prompt", "consent"));
        return new UriBuilder(settings.AuthorizeEndpoint) { Query = query }.Uri;

        static string Pair(string name, string value) => $"{name}={Uri.EscapeDataString(value)}";
    }

    public IList<string> DefaultScopes(string provider)
    {
        var settings = options.CurrentValue;
        return provider switch
        {
            IntegrationProviders.Jsm => settings.JsmScopes,
            IntegrationProviders.Confluence => settings.ConfluenceScopes,
            _ => settings.JiraScopes,
        };
    }

    public Uri RedirectUri(string provider) =>
        Configured(provider).RedirectUri ?? throw new IntegrationException(IntegrationErrorCodes.OAuthNotConfigured,
            "Installs need Atlassian:RedirectUri (AtlassianOptions.RedirectUri), the callback URL registered with the Atlassian app; it is not set. A service that only calls APIs does not need it.")
        {
            Provider = provider,
        };

    // Atlassian answers a dead refresh token with 403 invalid_grant (some gateways 400/401).
    public bool IsDeadGrant(OAuthTokenRequestException exception) =>
        exception.ErrorCode == IntegrationErrorCodes.TokenRequestFailed
        && (string.Equals(exception.ProviderError, "invalid_grant", StringComparison.Ordinal)
            || string.Equals(exception.ProviderError, "unauthorized_client", StringComparison.Ordinal));

    public async ValueTask<CredentialRejection> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return CredentialRejection.None;
        }

        // "Unauthorized; scope does not match" comes with a valid token: a refresh cannot add a
        // scope, so the 401 goes back as is. The body is small; buffering keeps it readable.
        if (response.Content.Headers.ContentLength is null or <= MaxClassifiedBodyBytes)
        {
            try
            {
                await response.Content.LoadIntoBufferAsync(MaxClassifiedBodyBytes, cancellationToken).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (text.Contains("scope does not match", StringComparison.OrdinalIgnoreCase))
                {
                    return CredentialRejection.None;
                }
            }
            catch (HttpRequestException)
            {
                // Larger than any 401 Atlassian sends: not the scope message.
            }
        }

        return CredentialRejection.Refresh;
    }

    private AtlassianOptions Configured(string provider)
    {
        var settings = options.CurrentValue;
        if (string.IsNullOrEmpty(settings.ClientId))
        {
            throw NotConfigured(provider, nameof(AtlassianOptions.ClientId));
        }

        if (string.IsNullOrEmpty(settings.ClientSecret))
        {
            throw NotConfigured(provider, nameof(AtlassianOptions.ClientSecret));
        }

        return settings;
    }

    private static IntegrationException NotConfigured(string provider, string setting) =>
        new(IntegrationErrorCodes.OAuthNotConfigured,
            $"The Atlassian OAuth app is not configured ({setting} is missing): call AddAtlassian(...) with the app's settings.")
        {
            Provider = provider,
        };
}
