namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>The Redis key formats shared with the TypeScript SDK (DESIGN.md, storage contract).</summary>
internal static class TokenKeys
{
    public static string AccessToken(string provider, string integrationId, string accountId, string tokenName = "access_token") =>
        $"integration:{provider}:{integrationId}:app_user:{accountId}:{tokenName}";

    public static string RefreshLock(string provider, string integrationId, string accountId) =>
        $"integration:{provider}:{integrationId}:app_user:{accountId}:refresh_lock";

    /// <summary>The rotation journal of a grant, beside its refresh lock (not shared with the TypeScript SDK).</summary>
    public static string Rotation(string provider, string integrationId, string accountId, string journalName = "rotation") =>
        $"integration:{provider}:{integrationId}:app_user:{accountId}:{journalName}";

    public static string OAuthStateNonce(string nonce) => $"integration:oauth_state:{nonce}";

    public static string SiteSelection(string handle) => $"integration:site_selection:{handle}";
}
