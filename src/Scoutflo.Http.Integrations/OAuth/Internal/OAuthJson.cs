using System.Globalization;
using System.Text.Json;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>Tolerant readers for token responses, and the standard (RFC 6749) response shape.</summary>
internal static class OAuthJson
{
    public static string? String(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? NullIfEmpty(value.GetString())
            : null;

    public static long? Number(JsonElement body, string name)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }

    /// <summary>
    /// Reads <c>access_token</c>, <c>refresh_token</c>, <c>expires_in</c> and <c>scope</c>;
    /// a response without an access token, or with a negative lifetime, is refused.
    /// </summary>
    public static OAuthTokenResponse ParseStandard(string provider, JsonElement body, DateTimeOffset now, char scopeSeparator = ' ') =>
        Parse(provider, body, now, "access_token", "refresh_token", "expires_in", "scope", scopeSeparator);

    public static OAuthTokenResponse Parse(string provider, JsonElement body, DateTimeOffset now, string accessField, string refreshField, string expiresInField, string scopeField, char scopeSeparator)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(provider, "is not a JSON object");
        }

        var access = String(body, accessField) ?? throw Invalid(provider, $"has no '{accessField}'");
        var expiresIn = Number(body, expiresInField);
        if (expiresIn is < 0)
        {
            throw Invalid(provider, $"has a negative '{expiresInField}'");
        }

        var scopes = String(body, scopeField)?.Split(scopeSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        return new OAuthTokenResponse(access, String(body, refreshField), expiresIn is { } s ? now.AddSeconds(s) : null, scopes, body.Clone());
    }

    public static OAuthTokenRequestException Invalid(string provider, string what) =>
        new(IntegrationErrorCodes.TokenResponseInvalid, $"The {provider} token response {what}.");

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
