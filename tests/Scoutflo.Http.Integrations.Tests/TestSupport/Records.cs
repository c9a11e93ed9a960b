namespace Scoutflo.Http.Integrations.Tests.TestSupport;

/// <summary>
/// Integration records for tests. Secret values are distinctive strings, so that a test can
/// assert that none of them ever shows up in a message, a log line or a ToString.
/// </summary>
internal static class Records
{
    public const string AccountId = "acct-42";
    public const string CustomBaseUrl = "https://api.example.test/v2";

    public const string ApiKey = "ak-SECRET-9f2c";
    public const string BearerToken = "bt-SECRET-51d0";
    public const string Username = "jane@example.test";
    public const string Password = "atl-api-token-7Qx";

    /// <summary>Base64 of <c>jane@example.test:atl-api-token-7Qx</c>, computed outside .NET (coreutils base64).</summary>
    public const string BasicParameter = "amFuZUBleGFtcGxlLnRlc3Q6YXRsLWFwaS10b2tlbi03UXg=";

    public static Integration Custom(
        string authType,
        IReadOnlyDictionary<string, string> credentials,
        IReadOnlyDictionary<string, string>? metadata = null,
        string baseUrl = CustomBaseUrl)
    {
        var allMetadata = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [IntegrationMetadataKeys.BaseUrl] = baseUrl,
        };
        return new Integration
        {
            Provider = IntegrationProviders.Custom,
            AccountId = AccountId,
            AuthType = authType,
            Credentials = credentials,
            Metadata = allMetadata,
        };
    }

    public static Integration CustomApiKey(IReadOnlyDictionary<string, string>? metadata = null, string key = ApiKey, string baseUrl = CustomBaseUrl) =>
        Custom(IntegrationAuthTypes.ApiKey, new Dictionary<string, string> { [IntegrationCredentialKeys.ApiKey] = key }, metadata, baseUrl);

    public static Integration CustomBearer(string token = BearerToken, string baseUrl = CustomBaseUrl) =>
        Custom(IntegrationAuthTypes.Bearer, new Dictionary<string, string> { [IntegrationCredentialKeys.Token] = token }, baseUrl: baseUrl);

    public static Integration CustomBasic(string baseUrl = CustomBaseUrl) =>
        Custom(IntegrationAuthTypes.Basic, BasicCredentials(), baseUrl: baseUrl);

    public static Integration JiraBasic(string siteUrl) => new()
    {
        Provider = IntegrationProviders.Jira,
        AccountId = AccountId,
        AuthType = IntegrationAuthTypes.Basic,
        Credentials = BasicCredentials(),
        Metadata = new Dictionary<string, string> { [IntegrationMetadataKeys.SiteUrl] = siteUrl },
    };

    public static Integration SentryBearer(string? baseUrl, string token = BearerToken) => new()
    {
        Provider = IntegrationProviders.Sentry,
        AccountId = AccountId,
        AuthType = IntegrationAuthTypes.Bearer,
        Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.Token] = token },
        Metadata = baseUrl is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { [IntegrationMetadataKeys.BaseUrl] = baseUrl },
    };

    private static Dictionary<string, string> BasicCredentials() => new()
    {
        [IntegrationCredentialKeys.Username] = Username,
        [IntegrationCredentialKeys.Password] = Password,
    };
}
