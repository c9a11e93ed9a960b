using Scoutflo.Http.Integrations.Connections.Internal;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// A disconnected customer's tokens must not stay readable in the shared cache until their TTL
/// ends: on a delete, its access tokens (every slot) and its rotation journal go. This runs
/// after the record is gone, so a refresh still in flight finds no record to write (or, if it
/// wrote first, sees the record gone when it checks after caching) and takes back what it cached.
/// </summary>
internal sealed class OAuthTokenCleanup(ITokenCache tokens) : IConnectionDeletionObserver
{
    public async ValueTask OnDeletedAsync(Integration deleted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deleted);
        if (deleted.AuthType != IntegrationAuthTypes.OAuth2)
        {
            return;
        }

        foreach (var slot in OAuthTokenSlot.All)
        {
            foreach (var key in new[] { TokenKeys.AccessToken(deleted.Provider, deleted.Id, deleted.AccountId, slot.CacheKeyName), RotationJournal.Key(deleted, slot) })
            {
                // Compare-and-delete is the cache's only removal, so read, then remove.
                if (await tokens.GetAsync(key, cancellationToken).ConfigureAwait(false) is { } cached)
                {
                    await tokens.RemoveIfAsync(key, cached.Token, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
