namespace Scoutflo.Http.Integrations;

/// <summary>The values of <see cref="Integration.AuthType"/> and the credential fields each one reads.</summary>
public static class IntegrationAuthTypes
{
    /// <summary>An API key in a header (<c>api_key_header</c>, <c>api_key_prefix</c> metadata) or a query parameter (<c>api_key_query_parameter</c>). Credential: <c>api_key</c>.</summary>
    public const string ApiKey = "api_key";

    /// <summary>HTTP Basic. Credentials: <c>username</c> (for Atlassian, the account email) and <c>password</c> (for Atlassian, the API token).</summary>
    public const string Basic = "basic";

    /// <summary>A long-lived bearer token (e.g. a Sentry auth token). Credential: <c>token</c>.</summary>
    public const string Bearer = "bearer";

    /// <summary>Several credential fields sent as headers, as the provider (or the record's <c>credential_headers</c> metadata) maps them.</summary>
    public const string MappedCredentials = "mapped_credentials";

    /// <summary>OAuth 2.0 access and refresh tokens, refreshed by the library.</summary>
    public const string OAuth2 = "oauth2";

    /// <summary>Whether <paramref name="authType"/> is one of the library's own auth types (a strategy may replace it, not a provider add it).</summary>
    internal static bool IsBuiltIn(string authType) =>
        authType is ApiKey or Basic or Bearer or MappedCredentials or OAuth2;
}
