using Scoutflo.Http.Integrations.Install.Internal;
using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations.Providers.Slack;

/// <summary>
/// The Slack install: bot and user scopes in one consent; the code exchange gives the bot token
/// (top level) and, where user scopes were granted, the user token (<c>authed_user</c>). The
/// connection is the workspace (team, and its Enterprise Grid org if any).
/// </summary>
internal sealed class SlackInstaller(SlackOAuthProvider oauth) : IOAuthInstaller
{
    public IReadOnlyCollection<string> Providers => oauth.Providers;

    public Uri RedirectUri(string provider) => oauth.RedirectUri();

    /// <summary>The configured bot scopes plus the request's (which are bot scopes too).</summary>
    public Task<(IReadOnlyList<string> Scopes, IReadOnlyList<string> SiblingIds)> ResolveScopesAsync(InstallRequest request, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> scopes = oauth.BotScopes
            .Concat(request.Scopes ?? [])
            .Where(s => !string.IsNullOrWhiteSpace(s))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return Task.FromResult((scopes, (IReadOnlyList<string>)[]));
    }

    public Uri BuildAuthorizeUrl(string provider, IReadOnlyList<string> scopes, Uri redirectUri, Uri? baseUrl, string state) =>
        oauth.BuildAuthorizeUrl(scopes, oauth.UserScopes.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.Ordinal), redirectUri, state);

    public async Task<InstallResult> CompleteAsync(OAuthStatePayload state, OAuthCallback callback, CancellationToken cancellationToken)
    {
        var body = await oauth.ExchangeCodeAsync(callback.Code!, new Uri(state.RedirectUri), cancellationToken).ConfigureAwait(false);
        if (OAuthJson.String(body, "access_token") is null)
        {
            throw OAuthJson.Invalid(IntegrationProviders.Slack, "has no bot token: the install granted no bot scope");
        }

        var bot = oauth.Parse(body);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        Put(metadata, IntegrationMetadataKeys.TeamId, Nested(body, "team", "id"));
        Put(metadata, IntegrationMetadataKeys.TeamName, Nested(body, "team", "name"));
        Put(metadata, IntegrationMetadataKeys.EnterpriseId, Nested(body, "enterprise", "id"));
        Put(metadata, IntegrationMetadataKeys.BotUserId, OAuthJson.String(body, "bot_user_id"));
        Put(metadata, IntegrationMetadataKeys.AppId, OAuthJson.String(body, "app_id"));
        Put(metadata, IntegrationMetadataKeys.AuthedUserId, Nested(body, "authed_user", "id"));
        if (!metadata.ContainsKey(IntegrationMetadataKeys.TeamId))
        {
            throw OAuthJson.Invalid(IntegrationProviders.Slack, "names no team");
        }

        var integration = StoredTokens.WithTokens(new Integration
        {
            Provider = IntegrationProviders.Slack,
            AccountId = state.AccountId,
            CreatedBy = state.UserId,
            AuthType = IntegrationAuthTypes.OAuth2,
            Metadata = metadata,
            Scopes = bot.Scopes.Count > 0 ? bot.Scopes : state.Scopes,
            Status = IntegrationStatus.Active,
        }, OAuthTokenSlot.Primary, bot.AccessToken, bot.RefreshToken, bot.ExpiresAt);

        if (body.TryGetProperty("authed_user", out var authedUser) && OAuthJson.String(authedUser, "access_token") is not null)
        {
            var user = oauth.Parse(authedUser);
            integration = StoredTokens.WithTokens(integration, OAuthTokenSlot.User, user.AccessToken, user.RefreshToken, user.ExpiresAt);
        }

        return new InstallResult(integration, state.ReturnUrl, []);
    }

    // One workspace is one connection; in an Enterprise Grid the org is part of its identity.
    public bool IsSameConnection(Integration existing, Integration installed) =>
        existing.GetMetadata(IntegrationMetadataKeys.TeamId) is { } team
        && string.Equals(team, installed.GetMetadata(IntegrationMetadataKeys.TeamId), StringComparison.Ordinal)
        && string.Equals(existing.GetMetadata(IntegrationMetadataKeys.EnterpriseId), installed.GetMetadata(IntegrationMetadataKeys.EnterpriseId), StringComparison.Ordinal);

    private static string? Nested(JsonElement body, string parent, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(parent, out var child) ? OAuthJson.String(child, name) : null;

    private static void Put(Dictionary<string, string> metadata, string key, string? value)
    {
        if (value is not null)
        {
            metadata[key] = value;
        }
    }
}
