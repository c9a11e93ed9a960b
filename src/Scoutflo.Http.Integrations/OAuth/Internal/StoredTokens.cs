namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>Reading and writing a token family in a record's credentials.</summary>
internal static class StoredTokens
{
    /// <summary>Tokens whose lifetime the provider did not state are trusted for this long (a 401 still ends them).</summary>
    public static readonly TimeSpan UnknownLifetime = TimeSpan.FromHours(1);

    public static DateTimeOffset? ExpiresAt(Integration integration, OAuthTokenSlot slot) =>
        integration.GetCredential(slot.ExpiresAtField) is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    /// <summary>The record's access token if it is still good for more than the skew.</summary>
    public static CachedToken? Usable(Integration integration, OAuthTokenSlot slot, DateTimeOffset now, TimeSpan skew)
    {
        if (integration.GetCredential(slot.AccessTokenField) is not { } token)
        {
            return null;
        }

        // A token with neither an expiry nor a refresh token is long-lived (e.g. Slack without
        // token rotation): nothing could renew it, so it is used until the provider refuses it.
        var expiresAt = ExpiresAt(integration, slot)
            ?? (integration.GetCredential(slot.RefreshTokenField) is null ? now + UnknownLifetime + skew : integration.UpdatedAt + UnknownLifetime);
        var usableUntil = expiresAt - skew;
        return usableUntil > now ? new CachedToken(token, usableUntil) : null;
    }

    /// <summary>
    /// When a token just issued stops being served: its expiry minus the skew, or minus half its
    /// lifetime when that is shorter than the skew (so a short-lived token is used at all).
    /// </summary>
    public static DateTimeOffset FreshTokenExpiry(DateTimeOffset expiresAt, DateTimeOffset issuedAt, TimeSpan skew)
    {
        var lifetime = expiresAt - issuedAt;
        return expiresAt - (lifetime > skew * 2 ? skew : lifetime / 2);
    }

    public static Integration WithTokens(Integration integration, OAuthTokenSlot slot, string accessToken, string? refreshToken, DateTimeOffset? expiresAt)
    {
        var credentials = new Dictionary<string, string>(integration.Credentials, StringComparer.Ordinal)
        {
            [slot.AccessTokenField] = accessToken,
        };
        if (refreshToken is not null)
        {
            credentials[slot.RefreshTokenField] = refreshToken;
        }

        if (expiresAt is { } at)
        {
            credentials[slot.ExpiresAtField] = at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        }
        else
        {
            credentials.Remove(slot.ExpiresAtField);
        }

        return integration with { Credentials = credentials };
    }
}
