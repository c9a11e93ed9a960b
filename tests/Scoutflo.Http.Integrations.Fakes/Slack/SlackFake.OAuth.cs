using System.Text.Json.Nodes;
using Scoutflo.Http.Integrations.Fakes.Internal;
using Scoutflo.Http.Integrations.Fakes.Slack.Internal;
using WireMock;

namespace Scoutflo.Http.Integrations.Fakes.Slack;

public sealed partial class SlackFake
{
    private ResponseMessage Authorize(IRequestMessage request)
    {
        var query = FakeHttp.QueryParameters(request);
        string? Param(string name) => query.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

        if (Param("client_id") != _options.ClientId)
        {
            return AuthorizeError("Invalid client_id parameter");
        }

        var redirectUri = Param("redirect_uri") ?? _options.RedirectUrls.FirstOrDefault();
        if (redirectUri is null
            || !Uri.TryCreate(redirectUri, UriKind.Absolute, out var redirect)
            || (redirect.Scheme != Uri.UriSchemeHttp && redirect.Scheme != Uri.UriSchemeHttps))
        {
            return AuthorizeError("redirect_uri did not match any configured URIs");
        }

        if (_options.RedirectUrls.Count > 0 && !_options.RedirectUrls.Contains(redirectUri, StringComparer.Ordinal))
        {
            return AuthorizeError("redirect_uri did not match any configured URIs");
        }

        var botScopes = ParseScopes(Param("scope"));
        var userScopes = ParseScopes(Param("user_scope"));
        if (botScopes.Count == 0 && userScopes.Count == 0)
        {
            return AuthorizeError("Invalid permissions requested: no scope or user_scope");
        }

        var team = Param("team");
        if (team is not null && team != _options.Team.Id)
        {
            return AuthorizeError("The team parameter names another workspace");
        }

        var state = Param("state");
        List<KeyValuePair<string, string>> parameters = [];
        if (DenyConsent)
        {
            parameters.Add(KeyValuePair.Create("error", "access_denied"));
        }
        else
        {
            parameters.Add(KeyValuePair.Create("code", IssueCode(redirectUri, botScopes, userScopes, InstallingUserId)));
        }

        if (state is not null)
        {
            parameters.Add(KeyValuePair.Create("state", state));
        }

        return FakeHttp.Redirect(FakeHttp.AppendQuery(redirect, parameters));
    }

    private static ResponseMessage AuthorizeError(string reason) =>
        FakeHttp.Text(400, $"<html><body><h1>Oops! Something went wrong</h1><p>{reason}</p></body></html>", "text/html; charset=utf-8");

    private string IssueCode(string redirectUri, List<string> botScopes, List<string> userScopes, string userId)
    {
        var code = $"{Tokens.Digits(10)}.{Tokens.Digits(13)}.{Tokens.New(string.Empty, 32)}";
        lock (_gate)
        {
            _codes[code] = new SlackAuthorizationCode(code, redirectUri, botScopes, userScopes, userId, _time.GetUtcNow() + _options.AuthorizationCodeLifetime);
        }

        return code;
    }

    private ResponseMessage Token(IRequestMessage request, Dictionary<string, string> parameters)
    {
        // Credentials preferably as HTTP Basic; client_id/client_secret in the form also work.
        var (clientId, clientSecret) = FakeHttp.BasicCredentials(request) is { } basic
            ? (basic.User, basic.Password)
            : (parameters.GetValueOrDefault("client_id"), parameters.GetValueOrDefault("client_secret"));

        if (clientId != _options.ClientId)
        {
            return SlackError("invalid_client_id");
        }

        if (clientSecret != _options.ClientSecret)
        {
            return SlackError("bad_client_secret");
        }

        var grantType = parameters.GetValueOrDefault("grant_type");
        return grantType switch
        {
            null or "" or "authorization_code" => ExchangeCode(parameters),
            "refresh_token" => Refresh(parameters.GetValueOrDefault("refresh_token")),
            _ => SlackError("invalid_grant_type"),
        };
    }

    private ResponseMessage ExchangeCode(Dictionary<string, string> parameters)
    {
        var code = parameters.GetValueOrDefault("code");
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (string.IsNullOrEmpty(code) || !_codes.TryGetValue(code, out var issued) || issued.Used || now >= issued.ExpiresAt)
            {
                return SlackError("invalid_code");
            }

            var redirectUri = parameters.GetValueOrDefault("redirect_uri");
            if (redirectUri is not null && redirectUri != issued.RedirectUri)
            {
                return SlackError("bad_redirect_uri");
            }

            issued.Used = true;
            var response = new JsonObject { ["ok"] = true, ["app_id"] = _options.AppId };
            var authedUser = new JsonObject { ["id"] = issued.UserId };

            if (issued.BotScopes.Count > 0)
            {
                _botFamily ??= new SlackTokenFamily(SlackTokenKind.Bot, _options.BotUserId);
                _botFamily.Scopes.Clear();
                _botFamily.Scopes.AddRange(issued.BotScopes);
                IssueTokens(_botFamily, now, response);
                response["bot_user_id"] = _options.BotUserId;
            }

            if (issued.UserScopes.Count > 0)
            {
                if (!_userFamilies.TryGetValue(issued.UserId, out var family))
                {
                    family = new SlackTokenFamily(SlackTokenKind.User, issued.UserId);
                    _userFamilies[issued.UserId] = family;
                }

                family.Scopes.Clear();
                family.Scopes.AddRange(issued.UserScopes);
                IssueTokens(family, now, authedUser);
            }

            response["authed_user"] = authedUser;
            AddTeam(response);
            return FakeHttp.Json(200, response);
        }
    }

    private ResponseMessage Refresh(string? value)
    {
        lock (_gate)
        {
            if (string.IsNullOrEmpty(value) || !_refreshTokens.TryGetValue(value, out var refresh) || refresh.Revoked)
            {
                return SlackError("invalid_refresh_token");
            }

            if (TeamInactive)
            {
                return SlackError("account_inactive");
            }

            // A refresh revokes the refresh token it used; the old access token lives on until it expires.
            refresh.Revoked = true;
            var family = refresh.Family;
            var response = new JsonObject { ["ok"] = true, ["app_id"] = _options.AppId };
            IssueTokens(family, _time.GetUtcNow(), response);
            if (family.Kind == SlackTokenKind.Bot)
            {
                response["bot_user_id"] = _options.BotUserId;
                response["authed_user"] = new JsonObject { ["id"] = InstallingUserId };
            }
            else
            {
                response["authed_user"] = new JsonObject { ["id"] = family.UserId };
            }

            AddTeam(response);
            return FakeHttp.Json(200, response);
        }
    }

    /// <summary>Issues the family's new access (and, with rotation, refresh) token into <paramref name="target"/>. Caller holds the lock.</summary>
    private void IssueTokens(SlackTokenFamily family, DateTimeOffset now, JsonObject target)
    {
        var bot = family.Kind == SlackTokenKind.Bot;
        var rotation = _options.TokenRotation;
        var value = rotation
            ? Tokens.New(bot ? "xoxe.xoxb-1-" : "xoxe.xoxp-1-", 60)
            : $"{(bot ? "xoxb" : "xoxp")}-{Tokens.Digits(12)}-{Tokens.Digits(13)}-{Tokens.New(string.Empty, 24)}";
        var access = new SlackAccessToken(value, family, rotation ? now + _options.AccessTokenLifetime : null, [.. family.Scopes]);
        _accessTokens[value] = access;
        family.CurrentAccess = access;

        target["scope"] = string.Join(',', family.Scopes);
        target["access_token"] = value;
        target["token_type"] = bot ? "bot" : "user";
        if (rotation)
        {
            var refresh = new SlackRefreshToken(Tokens.New("xoxe-1-", 60), family);
            _refreshTokens[refresh.Value] = refresh;
            family.CurrentRefresh = refresh;
            target["refresh_token"] = refresh.Value;
            target["expires_in"] = (long)_options.AccessTokenLifetime.TotalSeconds;
        }
    }

    private void AddTeam(JsonObject response)
    {
        response["team"] = new JsonObject { ["id"] = _options.Team.Id, ["name"] = _options.Team.Name };
        response["enterprise"] = _options.Enterprise is { } enterprise
            ? new JsonObject { ["id"] = enterprise.Id, ["name"] = enterprise.Name }
            : null;
        response["is_enterprise_install"] = false;
    }
}
