using System.Globalization;
using System.Text.Json.Nodes;
using Scoutflo.Http.Integrations.Fakes.Internal;
using Scoutflo.Http.Integrations.Fakes.Slack.Internal;
using WireMock;

namespace Scoutflo.Http.Integrations.Fakes.Slack;

/// <summary>
/// A fake of Slack OAuth v2 and a few Web API methods on one WireMock.Net loopback server:
/// <c>/oauth/v2/authorize</c>, <c>/api/oauth.v2.access</c>, <c>/api/auth.test</c>,
/// <c>/api/chat.postMessage</c>, <c>/api/conversations.list</c> and a binary
/// <c>/files/download/{id}</c>.
/// </summary>
/// <remarks>
/// Behaves like Slack, unpleasant parts included: errors are HTTP 200 with
/// <c>{"ok":false,"error":"..."}</c> (<c>token_expired</c>, <c>invalid_auth</c>, <c>not_authed</c>,
/// <c>token_revoked</c>, <c>account_inactive</c>, <c>missing_scope</c>); a failed refresh is
/// HTTP 200 <c>invalid_refresh_token</c>; with rotation the bot and the user token each have their
/// own refresh token and expiry, and a refresh revokes the refresh token it used; rate limits are
/// HTTP 429 with <c>Retry-After</c>. Thread-safe.
/// </remarks>
public sealed partial class SlackFake : ProviderFake
{
    private const int MaxRecordedRequests = 200;

    private readonly SlackFakeOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SlackAuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SlackAccessToken> _accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SlackRefreshToken> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SlackTokenFamily> _userFamilies = new(StringComparer.Ordinal);
    private readonly List<SlackFakeMessage> _messages = [];
    private readonly List<FakeHttpRequest> _apiRequests = [];
    private SlackTokenFamily? _botFamily;
    private string _installingUserId;
    private bool _denyConsent;
    private bool _teamInactive;
    private int _downloadCalls;
    private long _messageCounter;

    /// <summary>Starts the fake on a free loopback port.</summary>
    /// <param name="options">The behaviour; null for the defaults of <see cref="SlackFakeOptions"/>.</param>
    public SlackFake(SlackFakeOptions? options = null)
    {
        _options = (options ?? new SlackFakeOptions()).Snapshot();
        ArgumentException.ThrowIfNullOrEmpty(_options.ClientId, "options.ClientId");
        ArgumentException.ThrowIfNullOrEmpty(_options.ClientSecret, "options.ClientSecret");
        ArgumentNullException.ThrowIfNull(_options.TimeProvider, "options.TimeProvider");
        ArgumentNullException.ThrowIfNull(_options.Team, "options.Team");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.AccessTokenLifetime, TimeSpan.Zero, "options.AccessTokenLifetime");
        ArgumentOutOfRangeException.ThrowIfNegative(_options.DownloadSizeBytes, "options.DownloadSizeBytes");
        _time = _options.TimeProvider;
        _installingUserId = _options.InstallingUserId;
        Start(HandleAsync, _options.Port);
    }

    /// <summary><c>{BaseUrl}oauth/v2/authorize</c>.</summary>
    public Uri AuthorizeEndpoint => new(BaseUrl, "oauth/v2/authorize");

    /// <summary><c>{BaseUrl}api/oauth.v2.access</c>: the token endpoint (form-encoded, client credentials as Basic or in the form).</summary>
    public Uri TokenEndpoint => new(BaseUrl, "api/oauth.v2.access");

    /// <summary><c>{BaseUrl}api/</c>: the Web API base (methods like <c>auth.test</c> are relative to it).</summary>
    public Uri ApiBaseUrl => new(BaseUrl, "api/");

    /// <summary>The app's client id.</summary>
    public string ClientId => _options.ClientId;

    /// <summary>The app's client secret.</summary>
    public string ClientSecret => _options.ClientSecret;

    /// <summary>The workspace.</summary>
    public SlackFakeTeam Team => _options.Team;

    /// <summary>The user who consents at the authorize endpoint (the <c>authed_user</c>). Default <see cref="SlackFakeOptions.InstallingUserId"/>.</summary>
    public string InstallingUserId
    {
        get => Volatile.Read(ref _installingUserId);
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            Volatile.Write(ref _installingUserId, value);
        }
    }

    /// <summary>When true, the user cancels at the authorize endpoint: it redirects with <c>error=access_denied</c>. Default false.</summary>
    public bool DenyConsent
    {
        get => Volatile.Read(ref _denyConsent);
        set => Volatile.Write(ref _denyConsent, value);
    }

    /// <summary>When true, every token of the workspace answers <c>account_inactive</c> (workspace deleted or app uninstalled). Default false.</summary>
    public bool TeamInactive
    {
        get => Volatile.Read(ref _teamInactive);
        set => Volatile.Write(ref _teamInactive, value);
    }

    /// <summary>Requests to <c>/files/download/{id}</c>.</summary>
    public int DownloadCalls => Volatile.Read(ref _downloadCalls);

    /// <summary>Messages accepted by <c>chat.postMessage</c>, oldest first.</summary>
    public IReadOnlyList<SlackFakeMessage> PostedMessages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>The last Web API requests received (at most 200; downloads and oauth.v2.access excluded), oldest first.</summary>
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

    /// <summary>The current bot access token, or null before the first install with bot scopes.</summary>
    public string? CurrentBotToken
    {
        get
        {
            lock (_gate)
            {
                return _botFamily?.CurrentAccess?.Value;
            }
        }
    }

    /// <summary>The current bot refresh token, or null (no install, or rotation off).</summary>
    public string? CurrentBotRefreshToken
    {
        get
        {
            lock (_gate)
            {
                return _botFamily?.CurrentRefresh?.Value;
            }
        }
    }

    /// <summary>The current user access token of <paramref name="userId"/> (default: the installing user), or null.</summary>
    /// <param name="userId">The Slack user id; null for <see cref="InstallingUserId"/>.</param>
    public string? CurrentUserToken(string? userId = null)
    {
        lock (_gate)
        {
            return _userFamilies.GetValueOrDefault(userId ?? InstallingUserId)?.CurrentAccess?.Value;
        }
    }

    /// <summary>The current user refresh token of <paramref name="userId"/> (default: the installing user), or null.</summary>
    /// <param name="userId">The Slack user id; null for <see cref="InstallingUserId"/>.</param>
    public string? CurrentUserRefreshToken(string? userId = null)
    {
        lock (_gate)
        {
            return _userFamilies.GetValueOrDefault(userId ?? InstallingUserId)?.CurrentRefresh?.Value;
        }
    }

    /// <summary>The bytes <c>GET /files/download/{fileId}</c> serves: deterministic, binary, <see cref="SlackFakeOptions.DownloadSizeBytes"/> long.</summary>
    /// <param name="fileId">The file id.</param>
    public byte[] FileContent(string fileId)
    {
        ArgumentNullException.ThrowIfNull(fileId);
        var bytes = new byte[_options.DownloadSizeBytes];
        ReadOnlySpan<byte> pngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        pngSignature[..Math.Min(pngSignature.Length, bytes.Length)].CopyTo(bytes);
        // FNV-1a of the id seeds an xorshift: the same id always gives the same bytes.
        var state = 2166136261u;
        foreach (var c in fileId)
        {
            state = (state ^ c) * 16777619u;
        }

        state = state == 0 ? 1u : state;

        for (var i = pngSignature.Length; i < bytes.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            bytes[i] = (byte)state;
        }

        return bytes;
    }

    /// <summary>Plays the user's browser on an authorize URL and returns the callback URL it redirects to.</summary>
    /// <param name="authorizeUrl">The full authorize URL the code under test built.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="InvalidOperationException">The authorize endpoint refused the request.</exception>
    public Task<Uri> AuthorizeAsync(Uri authorizeUrl, CancellationToken cancellationToken = default) =>
        FollowAuthorizeAsync(authorizeUrl, cancellationToken);

    /// <summary>Issues an authorization code directly, skipping the authorize endpoint.</summary>
    /// <param name="redirectUri">The redirect URI the code is bound to.</param>
    /// <param name="botScope">Comma-separated bot scopes, e.g. <c>"chat:write,channels:read"</c>; empty for none.</param>
    /// <param name="userScope">Comma-separated user scopes; empty (default) for none.</param>
    /// <returns>The single-use code.</returns>
    public string CreateAuthorizationCode(Uri redirectUri, string botScope, string userScope = "")
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        ArgumentNullException.ThrowIfNull(botScope);
        ArgumentNullException.ThrowIfNull(userScope);
        return IssueCode(redirectUri.OriginalString, ParseScopes(botScope), ParseScopes(userScope), InstallingUserId);
    }

    /// <summary>Makes the current bot access token expired now (its refresh token still works).</summary>
    public void ExpireBotTokens() => Expire(SlackTokenKind.Bot);

    /// <summary>Makes every current user access token expired now (their refresh tokens still work).</summary>
    public void ExpireUserTokens() => Expire(SlackTokenKind.User);

    /// <summary>Revokes an access token (as <c>auth.revoke</c> or an admin would): it answers <c>token_revoked</c>.</summary>
    /// <param name="accessToken">The access token.</param>
    public void RevokeToken(string accessToken)
    {
        lock (_gate)
        {
            if (_accessTokens.TryGetValue(accessToken, out var token))
            {
                token.Revoked = true;
            }
        }
    }

    /// <summary>Makes an access token answer <c>account_inactive</c> (its user was deactivated).</summary>
    /// <param name="accessToken">The access token.</param>
    public void SetAccountInactive(string accessToken)
    {
        lock (_gate)
        {
            if (_accessTokens.TryGetValue(accessToken, out var token))
            {
                token.Inactive = true;
            }
        }
    }

    /// <summary>The next <paramref name="count"/> Web API requests (downloads included) answer HTTP 429 <c>ratelimited</c> with <c>Retry-After</c>.</summary>
    /// <param name="count">How many requests are limited.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> (whole seconds, rounded up).</param>
    public void RateLimitNextRequests(int count, TimeSpan retryAfter) =>
        ApiFaults.Enqueue(count, new Fault(429, retryAfter));

    /// <summary>Sets every counter back to zero and forgets recorded requests and messages.</summary>
    public override void ResetCounters()
    {
        base.ResetCounters();
        Interlocked.Exchange(ref _downloadCalls, 0);
        lock (_gate)
        {
            _apiRequests.Clear();
            _messages.Clear();
        }
    }

    private void Expire(SlackTokenKind kind)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var token in _accessTokens.Values.Where(t => t.Family.Kind == kind))
            {
                if (token.ExpiresAt is null || token.ExpiresAt > now)
                {
                    token.ExpiresAt = now;
                }
            }
        }
    }

    private async Task<IResponseMessage> HandleAsync(IRequestMessage request)
    {
        var path = request.Path;
        var method = request.Method.ToUpperInvariant();

        if (method == "GET" && path == "/oauth/v2/authorize")
        {
            return Authorize(request);
        }

        if (path == "/api/oauth.v2.access")
        {
            var parameters = Parameters(request);

            // Slack's code exchange may carry no grant_type: anything but a refresh is one.
            var grantType = parameters.GetValueOrDefault("grant_type") == "refresh_token" ? "refresh_token" : "authorization_code";
            if (await BeginTokenRequestAsync(grantType, status => FakeHttp.Text(status, "Injected failure from the Slack fake.", "text/plain; charset=utf-8")).ConfigureAwait(false) is { } faulted)
            {
                return faulted;
            }

            return TokenEdits.Apply(Token(request, parameters));
        }

        if (method == "GET" && path.StartsWith("/files/download/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _downloadCalls);
            return ApiFaults.TryDequeue() is { } limited ? RateLimited(limited) : Download(request, Uri.UnescapeDataString(path["/files/download/".Length..]));
        }

        if (path.StartsWith("/api/", StringComparison.Ordinal))
        {
            CountApiCall();
            lock (_gate)
            {
                if (_apiRequests.Count == MaxRecordedRequests)
                {
                    _apiRequests.RemoveAt(0);
                }

                _apiRequests.Add(FakeHttp.Record(request));
            }

            return ApiFaults.TryDequeue() is { } limited ? RateLimited(limited) : Api(request, path["/api/".Length..]);
        }

        return FakeHttp.Text(404, "Not Found", "text/plain; charset=utf-8");
    }

    private static ResponseMessage RateLimited(Fault fault)
    {
        var seconds = (int)Math.Ceiling((fault.RetryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds);
        return FakeHttp.Json(
            fault.StatusCode,
            new JsonObject { ["ok"] = false, ["error"] = "ratelimited" },
            [KeyValuePair.Create("Retry-After", seconds.ToString(CultureInfo.InvariantCulture))]);
    }

    private static ResponseMessage SlackError(string error, JsonObject? extra = null)
    {
        var body = new JsonObject { ["ok"] = false, ["error"] = error };
        if (extra is not null)
        {
            foreach (var (name, value) in extra)
            {
                body[name] = value?.DeepClone();
            }
        }

        // Slack reports failures in the body of an HTTP 200.
        return FakeHttp.Json(200, body);
    }

    /// <summary>Arguments from the query, then the form or JSON body (Slack accepts all three).</summary>
    private static Dictionary<string, string> Parameters(IRequestMessage request)
    {
        var parameters = FakeHttp.QueryParameters(request);
        if (FakeHttp.HasContentType(request, "application/json"))
        {
            if (FakeHttp.JsonBody(request) is { } json)
            {
                foreach (var (name, value) in json)
                {
                    parameters[name] = value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value?.ToJsonString() ?? string.Empty;
                }
            }
        }
        else
        {
            foreach (var (name, value) in FakeHttp.FormBody(request))
            {
                parameters[name] = value;
            }
        }

        return parameters;
    }

    private static List<string> ParseScopes(string? scopes) =>
        [.. (scopes ?? string.Empty).Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];
}
