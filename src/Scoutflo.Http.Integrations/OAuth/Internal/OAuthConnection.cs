namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>One resolved OAuth connection's token family: what the refresh path needs to know.</summary>
internal sealed class OAuthConnection(Integration snapshot, IOAuthProvider oauth, OAuthTokenSlot slot)
{
    public Integration Snapshot { get; } = snapshot;

    public IOAuthProvider OAuth { get; } = oauth;

    public OAuthTokenSlot Slot { get; } = slot;

    public string IntegrationId => Snapshot.Id;

    public string Provider => Snapshot.Provider;

    public string CacheKey { get; } = TokenKeys.AccessToken(snapshot.Provider, snapshot.Id, snapshot.AccountId, slot.CacheKeyName);
}
