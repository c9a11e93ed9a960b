namespace Scoutflo.Http.Integrations.Auth.Internal;

internal static class HeaderNames
{
    private const string Separators = "()<>@,;:\\\"/[]?={} \t";

    /// <summary>Whether a string is an RFC 9110 token, the only thing a header name may be.</summary>
    public static bool IsToken(string value) =>
        value.Length > 0 && value.All(c => c > 0x20 && c < 0x7f && !Separators.Contains(c, StringComparison.Ordinal));
}
