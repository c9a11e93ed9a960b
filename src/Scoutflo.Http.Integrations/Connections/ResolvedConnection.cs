using System.Diagnostics.CodeAnalysis;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// Everything a request needs to reach one integration: where it may go, how its credential is
/// attached, and the provider's runtime facts (<see cref="Properties"/>). Immutable and cached;
/// it holds no secret in a public member.
/// </summary>
public sealed class ResolvedConnection
{
    private readonly string _basePath;

    // The base's and the site's canonical origins (and the base's origin with its path), made
    // once here rather than from the Uri parts on every request.
    private readonly string _baseOrigin;
    private readonly string _baseOriginAndPath;
    private readonly string? _siteOrigin;

    /// <summary>
    /// Makes a connection; the connection manager makes them from stored records, and a test
    /// double of <see cref="IConnectionManager"/> can return one of its own.
    /// </summary>
    /// <param name="integration">The record (its id, provider, account, auth type, scopes and metadata are copied).</param>
    /// <param name="baseAddress">The absolute API base every request is sent under.</param>
    /// <param name="siteAddress">A second origin whose URLs are moved onto <paramref name="baseAddress"/>, or <see langword="null"/>.</param>
    /// <param name="credentials">Attaches the connection's credential.</param>
    /// <exception cref="ArgumentException">An address is not absolute.</exception>
    public ResolvedConnection(Integration integration, Uri baseAddress, Uri? siteAddress, ICredentialApplier credentials)
    {
        ArgumentNullException.ThrowIfNull(integration);
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(credentials);
        if (!baseAddress.IsAbsoluteUri || (siteAddress is not null && !siteAddress.IsAbsoluteUri))
        {
            throw new ArgumentException("The base and site addresses must be absolute URIs.", siteAddress is not null && !siteAddress.IsAbsoluteUri ? nameof(siteAddress) : nameof(baseAddress));
        }

        IntegrationId = integration.Id;
        Provider = integration.Provider;
        AccountId = integration.AccountId;
        AuthType = integration.AuthType;
        Scopes = integration.Scopes;
        Properties = integration.Metadata;
        BaseAddress = baseAddress;
        SiteAddress = siteAddress;
        Credentials = credentials;
        _basePath = baseAddress.AbsolutePath.TrimEnd('/');
        _baseOrigin = Origin(baseAddress);
        _baseOriginAndPath = _baseOrigin + _basePath;
        _siteOrigin = siteAddress is null ? null : Origin(siteAddress);
    }

    /// <summary>The integration id.</summary>
    public string IntegrationId { get; }

    /// <summary>The provider name.</summary>
    public string Provider { get; }

    /// <summary>The owning account.</summary>
    public string AccountId { get; }

    /// <summary>The auth type.</summary>
    public string AuthType { get; }

    /// <summary>The API base every request is sent under (e.g. <c>https://api.atlassian.com/ex/jira/{cloudId}</c>).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The provider's site origin whose URLs are moved onto <see cref="BaseAddress"/>, if any (e.g. <c>https://x.atlassian.net</c>).</summary>
    public Uri? SiteAddress { get; }

    /// <summary>The granted scopes.</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <summary>The provider's non-secret runtime facts (the record's metadata: <c>cloud_id</c>, <c>site_url</c>, <c>team_id</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; }

    /// <summary>Attaches (and, for OAuth, refreshes) this connection's credential.</summary>
    public ICredentialApplier Credentials { get; }

    /// <summary>
    /// Maps a request URI onto <see cref="BaseAddress"/>: a relative URI (or one on the
    /// placeholder base of the typed clients) and an absolute URI on <see cref="SiteAddress"/>
    /// are moved under the base; an absolute URI under the base stays; anything else (another
    /// host, port or scheme, a path outside the base, user info) is refused.
    /// </summary>
    /// <param name="requestUri">The request's URI.</param>
    /// <param name="target">The URI to send to.</param>
    /// <returns>Whether the URI may carry this connection's credential.</returns>
    public bool TryMapRequestUri(Uri? requestUri, [NotNullWhen(true)] out Uri? target)
    {
        if (requestUri is { IsAbsoluteUri: true } && TryMapCanonical(requestUri, out target))
        {
            return true;
        }

        return TryMapParsed(requestUri, out target);
    }

    /// <summary>The full check on the parsed URI: decides every URI the canonical fast path does not accept.</summary>
    internal bool TryMapParsed(Uri? requestUri, [NotNullWhen(true)] out Uri? target)
    {
        target = null;
        if (requestUri is null)
        {
            target = BaseAddress;
            return true;
        }

        if (!requestUri.IsAbsoluteUri)
        {
            return TryUnderBase(requestUri.OriginalString, out target);
        }

        if (requestUri.UserInfo.Length > 0)
        {
            return false;
        }

        if (SameOrigin(requestUri, PlaceholderBaseAddress) || (SiteAddress is not null && SameOrigin(requestUri, SiteAddress)))
        {
            return TryUnderBase(requestUri.PathAndQuery, out target);
        }

        if (SameOrigin(requestUri, BaseAddress) && IsUnderBasePath(requestUri.AbsolutePath))
        {
            target = requestUri;
            return true;
        }

        return false;
    }

    /// <summary>
    /// The base address the typed clients are given: a reserved host (RFC 2606 <c>.invalid</c>)
    /// that never resolves, so a request that bypassed the handler cannot reach anything, and
    /// that the handler recognises as "relative to the integration's API base".
    /// </summary>
    internal static Uri PlaceholderBaseAddress { get; } = new("https://integration.invalid/");

    private const string PlaceholderOrigin = "https://integration.invalid";

    /// <summary>The origin requests are sent to, for logs and errors.</summary>
    internal string BaseOrigin => _baseOrigin;

    // Authority leaves out user info, so an origin is safe to put in a log or an exception.
    internal static string Origin(Uri uri) => string.Concat(uri.Scheme, Uri.SchemeDelimiter, uri.Authority);

    private bool IsUnderBasePath(string path) =>
        _basePath.Length == 0
        || (path.StartsWith(_basePath, StringComparison.Ordinal)
            && (path.Length == _basePath.Length || path[_basePath.Length] == '/'));

    // The common URIs (HttpClient's join of the placeholder base and a relative path, a link on
    // the site, a link already on the base) are decided from the string the URI was parsed
    // from, without making the URI parse its parts. Accepted here is only a string whose
    // authority and path the parser cannot read differently: it starts with exactly a canonical
    // origin (lower-case scheme and host, default port, no user info) followed by '/', and its
    // path holds only plain characters (no '%' escapes, no '\\', no dot segment, nothing the
    // parser rewrites). Anything else (case, ports, user info, IDN, escapes, dots) takes the
    // full check, which refuses what it always refused: this path never refuses anything.
    private bool TryMapCanonical(Uri requestUri, [NotNullWhen(true)] out Uri? target)
    {
        var original = requestUri.OriginalString;
        if (original.StartsWith(_baseOriginAndPath, StringComparison.Ordinal)
            && IsPlainTail(original.AsSpan(_baseOriginAndPath.Length), allowEmptyPath: _basePath.Length > 0, out _))
        {
            target = requestUri;
            return true;
        }

        if (TryPlainTailAfter(original, PlaceholderOrigin, out var pathAndQuery)
            || (_siteOrigin is not null && TryPlainTailAfter(original, _siteOrigin, out pathAndQuery)))
        {
            // Built once, from strings already canonical: no second parse to check it, and the
            // path cannot climb out of the base (it has no dot segment).
            target = new Uri(string.Concat(_baseOriginAndPath.AsSpan(), pathAndQuery), UriKind.Absolute);
            return true;
        }

        target = null;
        return false;
    }

    private static bool TryPlainTailAfter(string original, string origin, out ReadOnlySpan<char> pathAndQuery)
    {
        pathAndQuery = default;
        return original.StartsWith(origin, StringComparison.Ordinal)
            && IsPlainTail(original.AsSpan(origin.Length), allowEmptyPath: false, out pathAndQuery);
    }

    /// <summary>
    /// Whether what follows an origin (and base path) is a plain path, then anything as query,
    /// then an ignored fragment; <paramref name="pathAndQuery"/> is the tail without the fragment.
    /// </summary>
    private static bool IsPlainTail(ReadOnlySpan<char> tail, bool allowEmptyPath, out ReadOnlySpan<char> pathAndQuery)
    {
        pathAndQuery = default;
        if (tail.IsEmpty || tail[0] != '/')
        {
            // Right after the base path, an end, a query or a fragment still means "the base
            // itself"; right after an origin, only a '/' proves the authority ended there.
            if (!allowEmptyPath || (!tail.IsEmpty && tail[0] != '?' && tail[0] != '#'))
            {
                return false;
            }
        }

        var pathEnd = tail.IndexOfAny('?', '#');
        var path = pathEnd < 0 ? tail : tail[..pathEnd];
        if (path.ContainsAnyExcept(PlainPathCharacters) || path.Contains("/.", StringComparison.Ordinal))
        {
            return false;
        }

        var fragment = tail.IndexOf('#');
        pathAndQuery = fragment < 0 ? tail : tail[..fragment];
        return true;
    }

    // RFC 3986 pchar without '%' (an escape may hide a dot or a slash), plus '/': nothing the
    // parser unescapes, escapes, compresses or treats as a separator.
    private static readonly System.Buffers.SearchValues<char> PlainPathCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/");

    // Dot segments are resolved when the URI is built, so the result is checked again: a
    // relative "../../ex/jira/other-cloud" must not climb out of this connection's base path.
    private bool TryUnderBase(string pathAndQuery, [NotNullWhen(true)] out Uri? target)
    {
        var separator = pathAndQuery.StartsWith('/') ? string.Empty : "/";
        var combined = new Uri(string.Concat(_baseOriginAndPath, separator, pathAndQuery), UriKind.Absolute);
        target = IsUnderBasePath(combined.AbsolutePath) ? combined : null;
        return target is not null;
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.Ordinal)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}
