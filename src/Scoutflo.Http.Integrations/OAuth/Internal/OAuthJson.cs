namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>Tolerant readers for token responses, and the standard (RFC 6749) response shape.</summary>
internal static class OAuthJson
{
    /// <summary>The longest lifetime a token response is believed for; a 401 still ends a token sooner.</summary>
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(365);

    public static string? String(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? NullIfEmpty(value.GetString())
            : null;

    /// <summary>What a token response may call its token when none is said: RFC 6749's bearer.</summary>
    public static readonly IReadOnlyCollection<string> BearerOnly = ["bearer"];

    /// <summary>
    /// Reads <c>access_token</c>, <c>refresh_token</c>, <c>expires_in</c>, <c>scope</c> and
    /// <c>token_type</c>. Refused (<c>oauth_token_response_invalid</c>): no access token; a
    /// <c>token_type</c> present but not one of <paramref name="tokenTypes"/> (case-insensitive;
    /// absent is taken as bearer); an unusable <c>expires_in</c> (see <see cref="Lifetime"/>).
    /// </summary>
    public static OAuthTokenResponse ParseStandard(string provider, JsonElement body, DateTimeOffset now, char scopeSeparator = ' ', IReadOnlyCollection<string>? tokenTypes = null)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(provider, "is not a JSON object");
        }

        var access = String(body, "access_token") ?? throw Invalid(provider, "has no 'access_token'");
        CheckTokenType(provider, body, "token_type", tokenTypes ?? BearerOnly);
        var lifetime = Lifetime(provider, body, "expires_in");
        var scopes = String(body, "scope")?.Split(scopeSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        return new OAuthTokenResponse(access, String(body, "refresh_token"), lifetime is { } l ? now + l : null, scopes, body.Clone());
    }

    /// <summary>
    /// A token type that is present must be one of <paramref name="accepted"/> (case-insensitive):
    /// any other kind of token (mac, a proof-of-possession token) must not be sent as Bearer.
    /// </summary>
    public static void CheckTokenType(string provider, JsonElement body, string field, IReadOnlyCollection<string> accepted)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.String
            || !accepted.Contains(value.GetString()!, StringComparer.OrdinalIgnoreCase))
        {
            throw Invalid(provider, $"has a '{field}' this library cannot send as a Bearer token");
        }
    }

    /// <summary>
    /// <c>expires_in</c>: absent or null, no lifetime (the caller's default applies); a JSON
    /// number of seconds, a fraction cut to whole seconds, at least one second, at most
    /// <see cref="MaxTokenLifetime"/> (a larger one, however large, is cut to it). Anything
    /// else (zero, negative, a string, a boolean, an object) is refused.
    /// </summary>
    public static TimeSpan? Lifetime(string provider, JsonElement body, string field)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw Invalid(provider, $"has an '{field}' that is not a number of seconds");
        }

        // A number beyond a double's range is "forever" as far as the cap is concerned.
        var seconds = value.TryGetDouble(out var parsed) && double.IsFinite(parsed) ? Math.Floor(parsed) : double.MaxValue;
        if (seconds < 1)
        {
            throw Invalid(provider, $"has an '{field}' below one second");
        }

        return seconds >= MaxTokenLifetime.TotalSeconds ? MaxTokenLifetime : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// An absolute expiry (Sentry's <c>expiresAt</c>): absent or null, none; otherwise a timestamp
    /// string later than <paramref name="now"/>, cut to <see cref="MaxTokenLifetime"/> from now.
    /// </summary>
    public static DateTimeOffset? ExpiresAt(string provider, JsonElement body, string field, DateTimeOffset now)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            throw Invalid(provider, $"has an '{field}' that is not a timestamp");
        }

        if (at <= now)
        {
            throw Invalid(provider, $"has an '{field}' that is already past");
        }

        return at - now > MaxTokenLifetime ? now + MaxTokenLifetime : at;
    }

    public static OAuthTokenRequestException Invalid(string provider, string what) =>
        new(IntegrationErrorCodes.TokenResponseInvalid, $"The {provider} token response {what}.");

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
