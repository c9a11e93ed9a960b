namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// Where one OAuth token family lives in a record and in the cache. Most connections have one;
/// a Slack connection may also hold a user token that rotates on its own.
/// </summary>
internal sealed record OAuthTokenSlot(string Name, string AccessTokenField, string RefreshTokenField, string ExpiresAtField, string CacheKeyName)
{
    public static readonly OAuthTokenSlot Primary = new(
        "primary",
        IntegrationCredentialKeys.AccessToken,
        IntegrationCredentialKeys.RefreshToken,
        IntegrationCredentialKeys.ExpiresAt,
        "access_token");

    /// <summary>A user token held beside the primary one (Slack's): its own refresh token and expiry, cached under <c>...:user_access_token</c>.</summary>
    public static readonly OAuthTokenSlot User = new(
        "user",
        IntegrationCredentialKeys.UserAccessToken,
        IntegrationCredentialKeys.UserRefreshToken,
        IntegrationCredentialKeys.UserExpiresAt,
        "user_access_token");

    /// <summary>Every slot a connection may use, e.g. to forget a deleted connection's cached tokens.</summary>
    public static readonly IReadOnlyList<OAuthTokenSlot> All = [Primary, User];
}
