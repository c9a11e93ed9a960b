namespace Scoutflo.Http.Integrations;

/// <summary>The snake_case metadata field names the library reads and writes.</summary>
public static class IntegrationMetadataKeys
{
    /// <summary>The Atlassian cloud id of the connected site.</summary>
    public const string CloudId = "cloud_id";

    /// <summary>The Atlassian site URL (<c>https://x.atlassian.net</c>).</summary>
    public const string SiteUrl = "site_url";

    /// <summary>The Atlassian site name.</summary>
    public const string SiteName = "site_name";

    /// <summary>The API base URL of a Sentry or custom connection.</summary>
    public const string BaseUrl = "base_url";

    /// <summary>The header an API key goes in (default <c>X-Api-Key</c>, or the provider's).</summary>
    public const string ApiKeyHeader = "api_key_header";

    /// <summary>A prefix put before the API key in its header (e.g. <c>Token</c>).</summary>
    public const string ApiKeyPrefix = "api_key_prefix";

    /// <summary>When set, the API key goes in this query parameter instead of a header.</summary>
    public const string ApiKeyQueryParameter = "api_key_query_parameter";

    /// <summary>For mapped credentials: <c>Header-Name=credential_field</c> pairs separated by commas.</summary>
    public const string CredentialHeaders = "credential_headers";

    /// <summary>The Slack team (workspace) id.</summary>
    public const string TeamId = "team_id";

    /// <summary>The Slack team (workspace) name.</summary>
    public const string TeamName = "team_name";

    /// <summary>The Slack Enterprise Grid org id, when the workspace belongs to one.</summary>
    public const string EnterpriseId = "enterprise_id";

    /// <summary>The Slack bot user's id.</summary>
    public const string BotUserId = "bot_user_id";

    /// <summary>The Slack app id.</summary>
    public const string AppId = "app_id";

    /// <summary>The Slack user who installed the app (the owner of the user token, when one was granted).</summary>
    public const string AuthedUserId = "authed_user_id";

    /// <summary>The Sentry-app installation id (the uuid in the token endpoint's path).</summary>
    public const string InstallationId = "installation_id";

    /// <summary>The slug of the Sentry organization the app was installed into.</summary>
    public const string OrganizationSlug = "organization_slug";
}
