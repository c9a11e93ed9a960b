using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Scoutflo.Http.Integrations.Fakes.Internal;
using WireMock;

namespace Scoutflo.Http.Integrations.Fakes.OAuth2;

/// <summary>
/// The common part of fakes of plain OAuth 2.0 providers (RFC 6749 + RFC 7636) on one loopback
/// WireMock.Net server: the authorize endpoint (<c>GET /authorize</c>, which plays the consenting
/// user and redirects with a code), the token endpoint (<c>POST /token</c>, form-encoded, client
/// credentials in the body or as Basic, PKCE S256 checked), and one API call (<c>GET /api/me</c>)
/// that needs a live bearer token. Subclasses give the provider's habits: token lifetimes,
/// rotation, how errors and answers are written.
/// </summary>
public abstract class OAuth2ProviderFake : ProviderFake
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CodeGrant> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IssuedToken> _access = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshGrant> _refresh = new(StringComparer.Ordinal);
    private readonly List<FakeHttpRequest> _apiRequests = [];

    /// <summary>Starts the fake on a free loopback port.</summary>
    /// <param name="clientId">The app's client id.</param>
    /// <param name="clientSecret">The app's client secret.</param>
    /// <param name="timeProvider">The clock token lifetimes are measured on.</param>
    protected OAuth2ProviderFake(string clientId, string clientSecret, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(clientSecret);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ClientId = clientId;
        ClientSecret = clientSecret;
        Time = timeProvider;
        Start(HandleAsync, null);
    }

    /// <summary><c>{BaseUrl}authorize</c>.</summary>
    public Uri AuthorizeUrl => new(BaseUrl, "authorize");

    /// <summary><c>{BaseUrl}token</c>.</summary>
    public Uri TokenUrl => new(BaseUrl, "token");

    /// <summary>The API base (<c>{BaseUrl}api/</c>); <c>GET me</c> answers who the token belongs to.</summary>
    public Uri ApiBaseUrl => new(BaseUrl, "api/");

    /// <summary>The app's client id.</summary>
    public string ClientId { get; }

    /// <summary>The app's client secret.</summary>
    public string ClientSecret { get; }

    /// <summary>Every API request received (headers included), to check what a client sent.</summary>
    public IReadOnlyList<FakeHttpRequest> ApiRequests
    {
        get
        {
            lock (_gate)
            {
                return [.. _apiRequests];
            }
        }
    }

    /// <summary>The clock.</summary>
    protected TimeProvider Time { get; }

    /// <summary>How long an access token lives.</summary>
    protected abstract TimeSpan AccessTokenLifetime { get; }

    /// <summary>Whether a refresh burns the refresh token (and the old access token) and answers a new one.</summary>
    protected abstract bool RotatesRefreshTokens { get; }

    /// <summary>The prefix of access tokens (<c>ghu_</c>, <c>ya29.</c>).</summary>
    protected abstract string AccessTokenPrefix { get; }

    /// <summary>The prefix of refresh tokens.</summary>
    protected abstract string RefreshTokenPrefix { get; }

    /// <summary>The user's current access token (the newest live one), or null.</summary>
    /// <param name="user">The user.</param>
    public string? CurrentAccessToken(string user)
    {
        lock (_gate)
        {
            return _access.Values.Where(t => t.User == user && !t.Revoked && t.ExpiresAt > Time.GetUtcNow()).OrderByDescending(t => t.Serial).FirstOrDefault()?.Value;
        }
    }

    /// <summary>The user's live refresh tokens.</summary>
    /// <param name="user">The user.</param>
    public IReadOnlyList<string> LiveRefreshTokens(string user)
    {
        lock (_gate)
        {
            return [.. _refresh.Values.Where(r => r.User == user && !r.Revoked).Select(r => r.Value)];
        }
    }

    /// <summary>Makes every access token expired now (refresh tokens keep working).</summary>
    public void ExpireAccessTokens()
    {
        lock (_gate)
        {
            foreach (var token in _access.Values)
            {
                token.ExpiresAt = Time.GetUtcNow();
            }
        }
    }

    /// <summary>The user revokes the app: every token and refresh token of theirs stops working.</summary>
    /// <param name="user">The user.</param>
    public void Revoke(string user)
    {
        lock (_gate)
        {
            foreach (var token in _access.Values.Where(t => t.User == user))
            {
                token.Revoked = true;
            }

            foreach (var grant in _refresh.Values.Where(r => r.User == user))
            {
                grant.Revoked = true;
            }
        }
    }

    /// <summary>
    /// Plays the user's browser on an authorize URL: the user <paramref name="user"/> consents and
    /// the provider redirects to the app's redirect URL; returns that URL (code and state, or error).
    /// </summary>
    /// <param name="authorizeUrl">The URL the library built.</param>
    /// <param name="user">Who consents.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<Uri> ConsentAsync(Uri authorizeUrl, string user = "user-1", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authorizeUrl);
        var separator = authorizeUrl.Query.Length > 0 ? "&" : "?";
        return FollowAuthorizeAsync(new Uri(authorizeUrl.AbsoluteUri + separator + "fake_user=" + Uri.EscapeDataString(user)), cancellationToken);
    }

    /// <summary>
    /// Checks the authorize request's provider-specific parameters; returns an OAuth error code
    /// to redirect with, or null. Decides whether the code's exchange gets a refresh token.
    /// </summary>
    /// <param name="parameters">The authorize URL's query.</param>
    /// <param name="issueRefreshToken">Whether the code's exchange answers a refresh token.</param>
    protected abstract string? CheckAuthorize(IReadOnlyDictionary<string, string> parameters, out bool issueRefreshToken);

    /// <summary>Writes a token-endpoint refusal in the provider's way.</summary>
    /// <param name="request">The token request (its <c>Accept</c> header may decide the format).</param>
    /// <param name="status">The RFC 6749 status (400 or 401).</param>
    /// <param name="error">The provider's error code.</param>
    /// <param name="description">The description.</param>
    protected abstract ResponseMessage TokenError(IRequestMessage request, int status, string error, string description);

    /// <summary>Writes a token-endpoint success in the provider's way.</summary>
    /// <param name="request">The token request.</param>
    /// <param name="body">The answer's fields.</param>
    protected abstract ResponseMessage TokenSuccess(IRequestMessage request, JsonObject body);

    /// <summary>The provider's error code for a spent, revoked or unknown code or refresh token.</summary>
    /// <param name="grantType">The grant type.</param>
    protected virtual string DeadGrantError(string grantType) => "invalid_grant";

    /// <summary>Fields added to a success (e.g. <c>refresh_token_expires_in</c>).</summary>
    /// <param name="body">The answer's fields.</param>
    /// <param name="refreshIssued">Whether the answer carries a refresh token.</param>
    protected virtual void AddTokenFields(JsonObject body, bool refreshIssued)
    {
    }

    private async Task<IResponseMessage> HandleAsync(IRequestMessage request) =>
        (request.Method.ToUpperInvariant(), request.Path) switch
        {
            ("GET", "/authorize") => Authorize(request),
            ("POST", "/token") => await TokenAsync(request).ConfigureAwait(false),
            ("GET", "/api/me") => Me(request),
            _ => FakeHttp.Json(404, new JsonObject { ["message"] = "Not Found" }),
        };

    private ResponseMessage Authorize(IRequestMessage request)
    {
        var query = FakeHttp.QueryParameters(request);
        if (query.GetValueOrDefault("client_id") != ClientId || query.GetValueOrDefault("response_type") != "code"
            || !Uri.TryCreate(query.GetValueOrDefault("redirect_uri"), UriKind.Absolute, out var redirect))
        {
            // A provider shows an error page rather than redirecting to an unchecked URL.
            return FakeHttp.Text(400, "invalid authorize request", "text/plain");
        }

        var parameters = new Dictionary<string, string>(query, StringComparer.Ordinal);
        var error = CheckAuthorize(parameters, out var issueRefreshToken);
        if (query.TryGetValue("code_challenge_method", out var method) && method != "S256")
        {
            error = "invalid_request";
        }

        var result = new List<KeyValuePair<string, string>>();
        if (error is not null)
        {
            result.Add(new("error", error));
        }
        else
        {
            var code = Tokens.New("code_", 24);
            lock (_gate)
            {
                _codes[code] = new CodeGrant(query.GetValueOrDefault("fake_user") ?? "user-1", redirect.AbsoluteUri,
                    query.GetValueOrDefault("scope") ?? string.Empty, query.GetValueOrDefault("code_challenge"), issueRefreshToken, Time.GetUtcNow() + TimeSpan.FromMinutes(10));
            }

            result.Add(new("code", code));
        }

        if (query.TryGetValue("state", out var state))
        {
            result.Add(new("state", state));
        }

        return FakeHttp.Redirect(FakeHttp.AppendQuery(redirect, result));
    }

    private async Task<IResponseMessage> TokenAsync(IRequestMessage request)
    {
        var form = FakeHttp.FormBody(request);
        var grantType = form.GetValueOrDefault("grant_type") ?? string.Empty;
        if (await BeginTokenRequestAsync(grantType, status => FakeHttp.Text(status, "<h1>Server Error</h1>", "text/html; charset=utf-8")).ConfigureAwait(false) is { } faulted)
        {
            return faulted;
        }

        var (id, secret) = FakeHttp.BasicCredentials(request) is var (user, password)
            ? (Uri.UnescapeDataString(user), Uri.UnescapeDataString(password))
            : (form.GetValueOrDefault("client_id"), form.GetValueOrDefault("client_secret"));
        if (id != ClientId || secret != ClientSecret)
        {
            return TokenError(request, 401, "invalid_client", "The client_id and/or client_secret passed are incorrect.");
        }

        lock (_gate)
        {
            return TokenEdits.Apply(grantType switch
            {
                "authorization_code" => ExchangeCode(request, form),
                "refresh_token" => Refresh(request, form),
                _ => TokenError(request, 400, "unsupported_grant_type", "Invalid grant_type."),
            });
        }
    }

    /// <summary>Caller holds the lock.</summary>
    private ResponseMessage ExchangeCode(IRequestMessage request, Dictionary<string, string> form)
    {
        var code = form.GetValueOrDefault("code") ?? string.Empty;
        if (!_codes.Remove(code, out var grant) || grant.ExpiresAt <= Time.GetUtcNow())
        {
            return TokenError(request, 400, DeadGrantError("authorization_code"), "The code passed is incorrect or expired.");
        }

        if (form.GetValueOrDefault("redirect_uri") != grant.RedirectUri)
        {
            return TokenError(request, 400, "redirect_uri_mismatch", "The redirect_uri does not match the one of the authorization.");
        }

        if (grant.CodeChallenge is not null
            && (form.GetValueOrDefault("code_verifier") is not { } verifier
                || Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_') != grant.CodeChallenge))
        {
            return TokenError(request, 400, "invalid_grant", "The code_verifier does not match the challenge.");
        }

        return Issue(request, grant.User, grant.Scope, grant.IssueRefreshToken ? Tokens.New(RefreshTokenPrefix) : null, includeRefresh: grant.IssueRefreshToken);
    }

    /// <summary>Caller holds the lock.</summary>
    private ResponseMessage Refresh(IRequestMessage request, Dictionary<string, string> form)
    {
        var presented = form.GetValueOrDefault("refresh_token") ?? string.Empty;
        if (!_refresh.TryGetValue(presented, out var grant) || grant.Revoked)
        {
            return TokenError(request, 400, DeadGrantError("refresh_token"), "The refresh token passed is incorrect, expired or revoked.");
        }

        if (!RotatesRefreshTokens)
        {
            return Issue(request, grant.User, grant.Scope, presented, includeRefresh: false);
        }

        // Rotation: the refresh token and the access tokens it made stop working.
        grant.Revoked = true;
        foreach (var token in _access.Values.Where(t => t.RefreshToken == presented))
        {
            token.Revoked = true;
        }

        return Issue(request, grant.User, grant.Scope, Tokens.New(RefreshTokenPrefix), includeRefresh: true);
    }

    /// <summary>Caller holds the lock.</summary>
    private ResponseMessage Issue(IRequestMessage request, string user, string scope, string? refreshToken, bool includeRefresh)
    {
        var access = new IssuedToken(Tokens.New(AccessTokenPrefix), user, refreshToken, _access.Count + 1) { ExpiresAt = Time.GetUtcNow() + AccessTokenLifetime };
        _access[access.Value] = access;
        if (refreshToken is not null && !_refresh.ContainsKey(refreshToken))
        {
            _refresh[refreshToken] = new RefreshGrant(refreshToken, user, scope);
        }

        var body = new JsonObject
        {
            ["access_token"] = access.Value,
            ["expires_in"] = (int)AccessTokenLifetime.TotalSeconds,
            ["scope"] = scope,
        };
        if (includeRefresh && refreshToken is not null)
        {
            body["refresh_token"] = refreshToken;
        }

        AddTokenFields(body, includeRefresh && refreshToken is not null);
        return TokenSuccess(request, body);
    }

    private ResponseMessage Me(IRequestMessage request)
    {
        CountApiCall();
        lock (_gate)
        {
            _apiRequests.Add(FakeHttp.Record(request));
            if (FakeHttp.BearerToken(request) is { } bearer && _access.TryGetValue(bearer, out var token) && !token.Revoked && token.ExpiresAt > Time.GetUtcNow())
            {
                return FakeHttp.Json(200, new JsonObject { ["login"] = token.User });
            }
        }

        return FakeHttp.Json(401, new JsonObject { ["message"] = "Bad credentials" }, [new("WWW-Authenticate", "Bearer error=\"invalid_token\"")]);
    }

    private sealed record CodeGrant(string User, string RedirectUri, string Scope, string? CodeChallenge, bool IssueRefreshToken, DateTimeOffset ExpiresAt);

    private sealed record IssuedToken(string Value, string User, string? RefreshToken, int Serial)
    {
        public DateTimeOffset ExpiresAt { get; set; }

        public bool Revoked { get; set; }
    }

    private sealed record RefreshGrant(string Value, string User, string Scope)
    {
        public bool Revoked { get; set; }
    }
}
