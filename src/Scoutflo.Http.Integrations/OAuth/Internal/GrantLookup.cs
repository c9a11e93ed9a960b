namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// Who shares a connection's grant: a provider whose OAuth runtime says its grants span its
/// products (Atlassian: Jira, JSM and Confluence of one account may hold one refresh token)
/// names them in <see cref="IOAuthProvider.Providers"/>, and siblings are sought among those. One home for the account lookup, so that the lock, the
/// rotation writes and re-authorisation marking agree on it.
/// </summary>
internal sealed class GrantLookup(IIntegrationStore store)
{
    /// <summary>
    /// The grant's identity, which names its refresh lock and its rotation journal. Siblings
    /// sharing one Atlassian grant must take one lock, and the choice may not depend on the
    /// refresh tokens they hold (a rotation writes them one by one, so a lookup by equal tokens
    /// changes under a reader): it is the lowest id among the account's Atlassian OAuth
    /// integrations. The key keeps the shared <c>...:{integration_id}:...:refresh_lock</c> format.
    /// </summary>
    public async Task<Integration> GrantOwnerAsync(OAuthConnection connection, Integration record, CancellationToken cancellationToken)
    {
        if (!connection.OAuth.SharesGrantAcrossProducts)
        {
            return record;
        }

        var candidates = await store.FindByAccountAsync(record.AccountId, connection.OAuth.Providers, cancellationToken).ConfigureAwait(false);
        return candidates
            .Where(c => c.AuthType == IntegrationAuthTypes.OAuth2)
            .Append(record)
            .MinBy(r => r.Id, StringComparer.Ordinal)!;
    }

    /// <summary>The other integrations of the account that hold the same refresh token (one Atlassian grant); none for a provider whose grants are not shared.</summary>
    public async Task<IReadOnlyList<Integration>> SiblingsAsync(OAuthConnection connection, Integration record, CancellationToken cancellationToken)
    {
        if (!connection.OAuth.SharesGrantAcrossProducts
            || record.GetCredential(connection.Slot.RefreshTokenField) is not { } refreshToken)
        {
            return [];
        }

        var candidates = await store.FindByAccountAsync(record.AccountId, connection.OAuth.Providers, cancellationToken).ConfigureAwait(false);
        return candidates
            .Where(c => c.Id != record.Id
                && c.AuthType == IntegrationAuthTypes.OAuth2
                && string.Equals(c.GetCredential(connection.Slot.RefreshTokenField), refreshToken, StringComparison.Ordinal))
            .ToList();
    }
}
