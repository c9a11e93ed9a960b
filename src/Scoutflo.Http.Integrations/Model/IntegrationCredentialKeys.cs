namespace Scoutflo.Http.Integrations;

/// <summary>The snake_case credential field names the library reads and writes.</summary>
public static class IntegrationCredentialKeys
{
    /// <summary>The API key of <see cref="IntegrationAuthTypes.ApiKey"/>.</summary>
    public const string ApiKey = "api_key";

    /// <summary>The user name (Atlassian: the account email) of <see cref="IntegrationAuthTypes.Basic"/>.</summary>
    public const string Username = "username";

    /// <summary>The password (Atlassian: the API token) of <see cref="IntegrationAuthTypes.Basic"/>.</summary>
    public const string Password = "password";

    /// <summary>The bearer token of <see cref="IntegrationAuthTypes.Bearer"/>.</summary>
    public const string Token = "token";

    /// <summary>The OAuth access token.</summary>
    public const string AccessToken = "access_token";

    /// <summary>The OAuth refresh token.</summary>
    public const string RefreshToken = "refresh_token";

    /// <summary>When the access token expires, as an ISO 8601 UTC timestamp.</summary>
    public const string ExpiresAt = "expires_at";

    /// <summary>Slack: the user token (granted with <c>user_scope</c>), beside the bot token in <see cref="AccessToken"/>.</summary>
    public const string UserAccessToken = "user_access_token";

    /// <summary>Slack: the user token's own refresh token (token rotation on).</summary>
    public const string UserRefreshToken = "user_refresh_token";

    /// <summary>Slack: when the user token expires, as an ISO 8601 UTC timestamp.</summary>
    public const string UserExpiresAt = "user_expires_at";
}
