using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Scoutflo.Http.Integrations.Fakes.Internal;
using Scoutflo.Http.Integrations.Fakes.Sentry.Internal;
using WireMock;

namespace Scoutflo.Http.Integrations.Fakes.Sentry;

/// <summary>
/// A fake of one Sentry host (sentry.io, a regional host or a self-hosted instance: start one fake
/// per host) on a WireMock.Net loopback server: the Sentry-app installation token endpoint and
/// the organizations and projects API.
/// </summary>
/// <remarks>
/// Behaves like Sentry: <c>POST /api/0/sentry-app-installations/{id}/authorizations/</c> exchanges a
/// single-use code or a refresh token for a camelCase token (201, <c>expiresAt</c> 8 hours later);
/// a refresh deletes the old token (its access token stops working at once, its refresh token is
/// burnt); failures are <c>{"detail":"..."}</c>; every response carries
/// <c>X-Sentry-Rate-Limit-Limit/-Remaining/-Reset</c>, and a caller over the limit gets 429;
/// a GET without its trailing slash is redirected (301), as Django does. Thread-safe.
/// </remarks>
public sealed partial class SentryFake : ProviderFake
{
    private const int ConcurrentLimit = 25;

    private readonly SentryFakeOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SentryInstallationState> _installations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SentryGrant> _grants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SentryToken> _byAccess = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SentryToken> _byRefresh = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RateWindow> _rateWindows = new(StringComparer.Ordinal);
    private bool _echoRefusedGrant;
    private int _nextTokenId = 1;

    /// <summary>Starts the fake on a free loopback port.</summary>
    /// <param name="options">The behaviour; null for the defaults of <see cref="SentryFakeOptions"/>.</param>
    public SentryFake(SentryFakeOptions? options = null)
    {
        _options = (options ?? new SentryFakeOptions()).Snapshot();
        ArgumentException.ThrowIfNullOrEmpty(_options.ClientId, "options.ClientId");
        ArgumentException.ThrowIfNullOrEmpty(_options.ClientSecret, "options.ClientSecret");
        ArgumentNullException.ThrowIfNull(_options.TimeProvider, "options.TimeProvider");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.TokenLifetime, TimeSpan.Zero, "options.TokenLifetime");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.RateLimit, 0, "options.RateLimit");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.RateLimitWindow, TimeSpan.Zero, "options.RateLimitWindow");
        _time = _options.TimeProvider;
        Start(HandleAsync, _options.Port);
    }

    /// <summary><c>{BaseUrl}api/0/</c>.</summary>
    public Uri ApiBaseUrl => new(BaseUrl, "api/0/");

    /// <summary>The Sentry app's client id.</summary>
    public string ClientId => _options.ClientId;

    /// <summary>The Sentry app's client secret.</summary>
    public string ClientSecret => _options.ClientSecret;

    /// <summary>The token endpoint of an installation: <c>{BaseUrl}api/0/sentry-app-installations/{id}/authorizations/</c>.</summary>
    /// <param name="installationId">The installation id.</param>
    public Uri AuthorizationsEndpoint(string installationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(installationId);
        return new Uri(BaseUrl, $"api/0/sentry-app-installations/{Uri.EscapeDataString(installationId)}/authorizations/");
    }

    /// <summary>
    /// Installs the Sentry app into an organization, as a user clicking Install would: returns the
    /// code and installation id Sentry would send to the integration's redirect URL.
    /// </summary>
    /// <param name="organizationSlug">The organization; null for the first configured one.</param>
    public SentryFakeInstallation SimulateInstall(string? organizationSlug = null)
    {
        var organization = organizationSlug is null
            ? _options.Organizations.FirstOrDefault() ?? throw new InvalidOperationException("No organization is configured.")
            : _options.Organizations.FirstOrDefault(o => o.Slug == organizationSlug)
                ?? throw new ArgumentException($"Unknown organization '{organizationSlug}'.", nameof(organizationSlug));
        lock (_gate)
        {
            var installation = new SentryInstallationState(Guid.NewGuid().ToString(), organization.Slug, (100 + _installations.Count).ToString(CultureInfo.InvariantCulture));
            _installations[installation.Id] = installation;
            return new SentryFakeInstallation(NewGrant(installation), installation.Id, organization.Slug);
        }
    }

    /// <summary>Issues a fresh code for an existing installation (Sentry sends one on re-authorisation).</summary>
    /// <param name="installationId">The installation id.</param>
    /// <returns>The single-use code.</returns>
    public string CreateAuthorizationCode(string installationId)
    {
        lock (_gate)
        {
            return _installations.TryGetValue(installationId, out var installation)
                ? NewGrant(installation)
                : throw new ArgumentException($"Unknown installation '{installationId}'.", nameof(installationId));
        }
    }

    /// <summary>The installation's current (newest, not deleted) access token, or null.</summary>
    /// <param name="installationId">The installation id.</param>
    public string? CurrentToken(string installationId) => Current(installationId)?.Token;

    /// <summary>The installation's current refresh token, or null.</summary>
    /// <param name="installationId">The installation id.</param>
    public string? CurrentRefreshToken(string installationId) => Current(installationId)?.RefreshToken;

    /// <summary>Makes every installation access token expired now (refresh tokens still work).</summary>
    public void ExpireTokens()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var token in _byAccess.Values.Where(t => t.ExpiresAt > now))
            {
                token.ExpiresAt = now;
            }
        }
    }

    /// <summary>Uninstalls the app: the installation's tokens and codes stop working.</summary>
    /// <param name="installationId">The installation id.</param>
    public void Uninstall(string installationId)
    {
        lock (_gate)
        {
            _installations.Remove(installationId);
            foreach (var token in _byAccess.Values.Where(t => t.Installation.Id == installationId))
            {
                token.Deleted = true;
            }
        }
    }

    /// <summary>
    /// When true, a refused code or refresh token is quoted in the <c>detail</c>
    /// (<c>"Invalid token: ..."</c>): the client must not pass that text on. Default false.
    /// </summary>
    public bool EchoRefusedGrant
    {
        get => Volatile.Read(ref _echoRefusedGrant);
        set => Volatile.Write(ref _echoRefusedGrant, value);
    }

    /// <summary>The next <paramref name="count"/> API requests answer <paramref name="statusCode"/> (with <c>Retry-After</c> when given).</summary>
    /// <param name="count">How many requests fail.</param>
    /// <param name="statusCode">The status, e.g. 429 or 503.</param>
    /// <param name="retryAfter">The <c>Retry-After</c>, or null for none.</param>
    public void FailNextApiRequests(int count, int statusCode = 503, TimeSpan? retryAfter = null) =>
        ApiFaults.Enqueue(count, new Fault(statusCode, retryAfter));

    /// <summary>Sets every counter back to zero.</summary>
    public override void ResetCounters()
    {
        base.ResetCounters();
    }

    private SentryToken? Current(string installationId)
    {
        lock (_gate)
        {
            return _byAccess.Values
                .Where(t => t.Installation.Id == installationId && !t.Deleted)
                .OrderByDescending(t => int.Parse(t.Id, CultureInfo.InvariantCulture))
                .FirstOrDefault();
        }
    }

    /// <summary>Caller holds the lock.</summary>
    private string NewGrant(SentryInstallationState installation)
    {
        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _grants[code] = new SentryGrant(code, installation, _time.GetUtcNow() + _options.AuthorizationCodeLifetime);
        return code;
    }

    private async Task<IResponseMessage> HandleAsync(IRequestMessage request)
    {
        var bearer = FakeHttp.BearerToken(request);
        var callerKey = bearer is null ? "anonymous:" + request.ClientIP : "token:" + bearer;
        var (allowed, remaining, reset) = CountRequest(callerKey);
        var response = allowed
            ? await RouteAsync(request, bearer).ConfigureAwait(false)
            : Detail(429, $"You are attempting to use this endpoint too frequently. Limit is {_options.RateLimit} requests in {(int)Math.Ceiling(_options.RateLimitWindow.TotalSeconds)} seconds");

        // Sentry sends the rate-limit headers on every response, errors included.
        response.AddHeader("X-Sentry-Rate-Limit-Limit", _options.RateLimit.ToString(CultureInfo.InvariantCulture));
        response.AddHeader("X-Sentry-Rate-Limit-Remaining", remaining.ToString(CultureInfo.InvariantCulture));
        response.AddHeader("X-Sentry-Rate-Limit-Reset", reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        response.AddHeader("X-Sentry-Rate-Limit-ConcurrentLimit", ConcurrentLimit.ToString(CultureInfo.InvariantCulture));
        response.AddHeader("X-Sentry-Rate-Limit-ConcurrentRemaining", (ConcurrentLimit - 1).ToString(CultureInfo.InvariantCulture));
        return response;
    }

    private (bool Allowed, int Remaining, DateTimeOffset Reset) CountRequest(string callerKey)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (!_rateWindows.TryGetValue(callerKey, out var window) || now >= window.Start + _options.RateLimitWindow)
            {
                window = new RateWindow(now);
                _rateWindows[callerKey] = window;
            }

            window.Count++;
            var allowed = window.Count <= _options.RateLimit;
            return (allowed, Math.Max(0, _options.RateLimit - window.Count), window.Start + _options.RateLimitWindow);
        }
    }

    private async Task<ResponseMessage> RouteAsync(IRequestMessage request, string? bearer)
    {
        var path = request.Path;
        var method = request.Method.ToUpperInvariant();
        if (!path.EndsWith('/'))
        {
            // Django's APPEND_SLASH: GETs are redirected, other methods cannot be.
            return method == "GET"
                ? Redirect(new Uri(BaseUrl, path.TrimStart('/') + "/" + (string.IsNullOrEmpty(request.RawQuery) ? string.Empty : "?" + request.RawQuery)))
                : NotFound();
        }

        var segments = path.Trim('/').Split('/');
        if (method == "POST" && segments is ["api", "0", "sentry-app-installations", var installationId, "authorizations"])
        {
            return (ResponseMessage)TokenEdits.Apply(await TokenAsync(request, Uri.UnescapeDataString(installationId)).ConfigureAwait(false));
        }

        if (!path.StartsWith("/api/0/", StringComparison.Ordinal))
        {
            return NotFound();
        }

        CountApiCall();
        if (ApiFaults.TryDequeue() is { } fault)
        {
            var failure = Detail(fault.StatusCode, "Injected failure from the Sentry fake.");
            if (fault.RetryAfter is { } retryAfter)
            {
                failure.AddHeader("Retry-After", ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
            }

            return failure;
        }

        return (method, segments) switch
        {
            ("GET", ["api", "0", "organizations"]) => Authorized(bearer, "org:read", null, Organizations),
            ("GET", ["api", "0", "organizations", var slug, "projects"]) => Authorized(bearer, "project:read", Uri.UnescapeDataString(slug), _ => Projects(Uri.UnescapeDataString(slug))),
            _ => NotFound(),
        };
    }

    private static ResponseMessage Redirect(Uri location)
    {
        var response = FakeHttp.Empty(301);
        response.AddHeader("Location", location.AbsoluteUri);
        return response;
    }

    private static ResponseMessage Detail(int status, string detail) =>
        FakeHttp.Json(status, new JsonObject { ["detail"] = detail });

    private static ResponseMessage NotFound() => Detail(404, "The requested resource does not exist");
}
