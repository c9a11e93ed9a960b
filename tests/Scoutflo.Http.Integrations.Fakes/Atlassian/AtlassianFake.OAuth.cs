using System.Text.Json.Nodes;
using Scoutflo.Http.Integrations.Fakes.Atlassian.Internal;
using Scoutflo.Http.Integrations.Fakes.Internal;
using WireMock;

namespace Scoutflo.Http.Integrations.Fakes.Atlassian;

public sealed partial class AtlassianFake
{
    private const string InvalidRefreshTokenDescription = "Unknown or invalid refresh token.";

    private ResponseMessage Authorize(IRequestMessage request)
    {
        var query = FakeHttp.QueryParameters(request);
        string? Param(string name) => query.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

        // Atlassian shows an error page (no redirect) for a request it cannot trust.
        if (Param("audience") != "api.atlassian.com")
        {
            return AuthorizeError("audience must be api.atlassian.com");
        }

        if (Param("client_id") != _options.ClientId)
        {
            return AuthorizeError("unknown client_id");
        }

        var redirectUri = Param("redirect_uri");
        if (redirectUri is null
            || !Uri.TryCreate(redirectUri, UriKind.Absolute, out var redirect)
            || (redirect.Scheme != Uri.UriSchemeHttp && redirect.Scheme != Uri.UriSchemeHttps))
        {
            return AuthorizeError("redirect_uri is missing or not an absolute http(s) URL");
        }

        if (_options.CallbackUrls.Count > 0 && !_options.CallbackUrls.Contains(redirectUri, StringComparer.Ordinal))
        {
            return AuthorizeError("redirect_uri does not match a registered callback URL");
        }

        if (Param("response_type") != "code")
        {
            return AuthorizeError("response_type must be code");
        }

        var state = Param("state");
        if (state is null)
        {
            return AuthorizeError("state is required");
        }

        var scopes = ParseScopes(Param("scope"));
        if (scopes.Count == 0)
        {
            return AuthorizeError("scope is required");
        }

        if (DenyConsent)
        {
            return FakeHttp.Redirect(FakeHttp.AppendQuery(redirect,
            [
                KeyValuePair.Create("error", "access_denied"),
                KeyValuePair.Create("error_description", "User did not authorize the request"),
                KeyValuePair.Create("state", state),
            ]));
        }

        var code = IssueCode(redirectUri, scopes, ConsentingAccountId);
        return FakeHttp.Redirect(FakeHttp.AppendQuery(redirect,
        [
            KeyValuePair.Create("code", code),
            KeyValuePair.Create("state", state),
        ]));
    }

    private static ResponseMessage AuthorizeError(string reason) =>
        FakeHttp.Text(400, $"<html><body><h1>Something went wrong</h1><p>{reason}</p></body></html>", "text/html; charset=utf-8");

    private string IssueCode(string redirectUri, IReadOnlySet<string> scopes, string accountId)
    {
        var code = Tokens.New("atl_code_", 24);
        lock (_gate)
        {
            _codes[code] = new AtlassianAuthorizationCode(code, redirectUri, accountId, scopes, _time.GetUtcNow() + _options.AuthorizationCodeLifetime);
        }

        return code;
    }

    private ResponseMessage Token(IRequestMessage request, JsonObject? body)
    {
        if (!FakeHttp.HasContentType(request, "application/json") || body is null)
        {
            return OAuthError(400, "invalid_request", "The request body must be a JSON object (Content-Type: application/json).");
        }

        var grantType = FakeHttp.JsonString(body, "grant_type");
        if (string.IsNullOrEmpty(grantType))
        {
            return OAuthError(400, "invalid_request", "Missing required parameter: grant_type");
        }

        if (FakeHttp.JsonString(body, "client_id") != _options.ClientId
            || FakeHttp.JsonString(body, "client_secret") != _options.ClientSecret)
        {
            return OAuthError(401, "access_denied", "Unauthorized");
        }

        return grantType switch
        {
            "authorization_code" => ExchangeCode(body),
            "refresh_token" => Refresh(body),
            _ => OAuthError(400, "unsupported_grant_type", $"Unsupported grant type: {grantType}"),
        };
    }

    private ResponseMessage ExchangeCode(JsonObject body)
    {
        var code = FakeHttp.JsonString(body, "code");
        if (string.IsNullOrEmpty(code))
        {
            return OAuthError(400, "invalid_request", "Missing required parameter: code");
        }

        var redirectUri = FakeHttp.JsonString(body, "redirect_uri");
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (!_codes.TryGetValue(code, out var issued) || issued.Used || now >= issued.ExpiresAt)
            {
                return OAuthError(403, "invalid_grant", EchoRefusedGrant ? $"Invalid authorization code: {code}" : "Invalid authorization code");
            }

            if (!string.Equals(redirectUri, issued.RedirectUri, StringComparison.Ordinal))
            {
                return OAuthError(403, "invalid_grant", "The redirect_uri does not match the one of the authorization request.");
            }

            issued.Used = true;

            // One grant per app per user: a later consent (say, Confluence after Jira) joins the same
            // family, widens its scopes and supersedes its refresh token like a rotation does.
            if (!_grants.TryGetValue(issued.AccountId, out var grant) || grant.Revoked)
            {
                grant = new AtlassianGrant(issued.AccountId, now);
                _grants[issued.AccountId] = grant;
            }

            grant.Scopes.UnionWith(issued.Scopes);
            return IssueTokens(grant, now);
        }
    }

    private ResponseMessage Refresh(JsonObject body)
    {
        var value = FakeHttp.JsonString(body, "refresh_token");
        if (string.IsNullOrEmpty(value))
        {
            return OAuthError(400, "invalid_request", "Missing required parameter: refresh_token");
        }

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (!_refreshTokens.TryGetValue(value, out var token) || token.Grant.Revoked)
            {
                return OAuthError(403, "invalid_grant", EchoRefusedGrant ? $"{InvalidRefreshTokenDescription[..^1]}: {value}" : InvalidRefreshTokenDescription);
            }

            var grant = token.Grant;
            if (now - token.IssuedAt >= _options.RefreshTokenInactivityExpiry
                || now - grant.CreatedAt >= _options.RefreshTokenAbsoluteExpiry)
            {
                return OAuthError(403, "invalid_grant", InvalidRefreshTokenDescription);
            }

            if (token.SupersededAt is { } supersededAt && now - supersededAt >= _options.RefreshTokenReuseLeeway)
            {
                // Reuse of a rotated token outside the leeway looks like theft: the whole grant dies.
                grant.Revoked = true;
                return OAuthError(403, "invalid_grant", InvalidRefreshTokenDescription);
            }

            return IssueTokens(grant, now);
        }
    }

    /// <summary>Issues an access token and, with offline_access, a new current refresh token. Caller holds the lock.</summary>
    private ResponseMessage IssueTokens(AtlassianGrant grant, DateTimeOffset now)
    {
        var scopes = new HashSet<string>(grant.Scopes, StringComparer.Ordinal);
        var access = new AtlassianAccessToken(Tokens.New("atl_at_", 48), grant, now + _options.AccessTokenLifetime, scopes);
        _accessTokens[access.Value] = access;
        grant.AccessTokens.Add(access);

        var response = new JsonObject
        {
            ["access_token"] = access.Value,
            ["expires_in"] = (long)_options.AccessTokenLifetime.TotalSeconds,
            ["token_type"] = "Bearer",
            ["scope"] = FormatScopes(scopes),
        };

        if (scopes.Contains("offline_access"))
        {
            if (grant.Current is { } previous)
            {
                previous.SupersededAt = now;
            }

            var refresh = new AtlassianRefreshToken(Tokens.New("atl_rt_", 48), grant, now);
            _refreshTokens[refresh.Value] = refresh;
            grant.Current = refresh;
            response["refresh_token"] = refresh.Value;
        }

        return FakeHttp.Json(200, response);
    }

    private static ResponseMessage OAuthError(int status, string error, string description) =>
        FakeHttp.Json(status, new JsonObject { ["error"] = error, ["error_description"] = description });

    /// <summary>The access token of the request if it is known, unexpired and its grant alive.</summary>
    private AtlassianAccessToken? ValidAccessToken(IRequestMessage request)
    {
        var value = FakeHttp.BearerToken(request);
        if (value is null)
        {
            return null;
        }

        lock (_gate)
        {
            return _accessTokens.TryGetValue(value, out var token)
                && !token.Grant.Revoked
                && _time.GetUtcNow() < token.ExpiresAt
                ? token
                : null;
        }
    }

    private static ResponseMessage Unauthorized(string message = "Unauthorized") =>
        FakeHttp.Json(401, new JsonObject { ["code"] = 401, ["message"] = message });

    private ResponseMessage AccessibleResources(IRequestMessage request)
    {
        if (ValidAccessToken(request) is not { } token)
        {
            return Unauthorized();
        }

        var tokenScopes = token.Scopes.Where(s => s != "offline_access").Order(StringComparer.Ordinal).ToArray();
        var result = new JsonArray();
        foreach (var site in Sites)
        {
            result.Add(new JsonObject
            {
                ["id"] = site.Id,
                ["url"] = site.Url.GetLeftPart(UriPartial.Authority),
                ["name"] = site.Name,
                ["scopes"] = new JsonArray([.. (site.Scopes ?? tokenScopes).Select(s => (JsonNode?)JsonValue.Create(s))]),
                ["avatarUrl"] = site.AvatarUrl.AbsoluteUri,
            });
        }

        return FakeHttp.Json(200, result);
    }
}
