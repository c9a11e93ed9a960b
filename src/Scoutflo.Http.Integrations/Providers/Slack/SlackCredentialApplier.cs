using Scoutflo.Http.Integrations.Auth.Internal;
using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations.Providers.Slack;

/// <summary>
/// A Slack connection's two token families: the bot token, and the user token where granted.
/// Each request carries the one it asks for (bot unless told otherwise); each family has its
/// own level-1 cache, refresh token and expiry.
/// </summary>
internal sealed class SlackCredentialApplier(string integrationId, OAuthCredentialApplier bot, OAuthCredentialApplier? user) : ICredentialApplier, ICredentialReapplier
{
    // Refreshable or not, every response is read: invalid_auth must still mark the connection.
    public bool CanRefresh => true;

    public ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        For(request).ApplyAsync(request, cancellationToken);

    public ValueTask ReapplyAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        For(request).ReapplyAsync(request, cancellationToken);

    public ValueTask<bool> TryRefreshAsync(HttpRequestMessage failedRequest, HttpResponseMessage response, CancellationToken cancellationToken) =>
        For(failedRequest).TryRefreshAsync(failedRequest, response, cancellationToken);

    private OAuthCredentialApplier For(HttpRequestMessage request)
    {
        // Read without making the request's options: most requests set none.
        if (!HttpRequestMessageIntegrationExtensions.TryGetExistingOption(request, HttpRequestMessageIntegrationExtensions.SlackTokenKindKey, out var kind) || kind == SlackTokenKind.Bot)
        {
            return bot;
        }

        return user ?? throw new IntegrationException(IntegrationErrorCodes.CredentialsMissing,
            $"Slack integration '{integrationId}' holds no user token: install it with user scopes (SlackOptions.UserScopes) to use SlackTokenKind.User.")
        {
            IntegrationId = integrationId,
            Provider = IntegrationProviders.Slack,
        };
    }

    public override string ToString() => $"Slack OAuth (bot{(user is null ? "" : " and user")} tokens)";
}
