namespace Scoutflo.Http.Integrations.Auth.Internal;

internal static class HeaderNames
{
    private const string Separators = "()<>@,;:\\\"/[]?={} \t";

    // Headers that decide how a message is framed or where it is routed. A stored credential
    // must never set them: Host would pick another virtual host on a shared provider, and the
    // framing headers would let a record split or smuggle requests on a pooled connection.
    private static readonly FrozenSet<string> Forbidden = new[]
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Upgrade", "TE", "Trailer",
        "Keep-Alive", "Expect",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a string is an RFC 9110 token, the only thing a header name may be.</summary>
    public static bool IsToken(string value) =>
        value.Length > 0 && value.All(c => c > 0x20 && c < 0x7f && !Separators.Contains(c, StringComparison.Ordinal));

    /// <summary>
    /// Whether a record (or a provider mapping) may put a credential in this header: a token that
    /// neither frames nor routes the message (not <c>Host</c>, <c>Content-Length</c>,
    /// <c>Transfer-Encoding</c>, <c>Connection</c>, <c>Upgrade</c>, <c>TE</c>, <c>Trailer</c>,
    /// <c>Keep-Alive</c>, <c>Expect</c>, nor any <c>Proxy-*</c>).
    /// </summary>
    public static bool IsAllowedForCredential(string value) =>
        IsToken(value)
        && !Forbidden.Contains(value)
        && !value.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase);
}
