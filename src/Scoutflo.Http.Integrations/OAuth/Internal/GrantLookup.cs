using System.Collections.Concurrent;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>A connection's record as read under the refresh lock, with the grant it belongs to.</summary>
/// <param name="Record">The record, usable (it exists and is not waiting for re-authorisation).</param>
/// <param name="Owner">The grant's owner, which names the refresh lock and the rotation journal.</param>
/// <param name="Siblings">The other records holding the same refresh token (one Atlassian grant); none for a provider whose grants are not shared.</param>
internal sealed record GrantRead(Integration Record, Integration Owner, IReadOnlyList<Integration> Siblings);

/// <summary>
/// Who shares a connection's grant: a provider whose OAuth runtime says its grants span its
/// products (Atlassian: Jira, JSM and Confluence of one account may hold one refresh token)
/// names them in <see cref="IOAuthProvider.Providers"/>, and siblings are sought among those. One home for the account lookup, so that the lock, the
/// rotation writes and re-authorisation marking agree on it.
/// </summary>
internal sealed class GrantLookup(IIntegrationStore store, TokenSources sources)
{
    // Guesses only (every guess is checked under the lock it names), so a bound by clearing is enough.
    private const int MaxRememberedOwners = 10_000;

    private readonly ConcurrentDictionary<string, Integration> _owners = new(StringComparer.Ordinal);

    /// <summary>
    /// The grant's identity, which names its refresh lock and its rotation journal. Siblings
    /// sharing one Atlassian grant must take one lock, and the choice may not depend on the
    /// refresh tokens they hold (a rotation writes each record on its own, even in one bulk
    /// write, so a lookup by equal tokens changes under a reader): it is the lowest id among the
    /// account's Atlassian OAuth integrations. The key keeps the shared
    /// <c>...:{integration_id}:...:refresh_lock</c> format.
    /// </summary>
    public async Task<Integration> GrantOwnerAsync(OAuthConnection connection, Integration record, CancellationToken cancellationToken)
    {
        if (!connection.OAuth.SharesGrantAcrossProducts)
        {
            return record;
        }

        var candidates = await store.FindByAccountAsync(record.AccountId, connection.OAuth.Providers, cancellationToken).ConfigureAwait(false);
        return OwnerAmong(candidates, record);
    }

    /// <summary>
    /// The owner whose lock to take before <see cref="ReadAsync"/>, without a store round trip:
    /// the owner the last read of this account found, else the connection's own record (the
    /// owner whenever it has no sibling with a lower id). A wrong guess is found by the read
    /// made under that lock, and the caller moves to the right one.
    /// </summary>
    public Integration LikelyOwner(OAuthConnection connection) =>
        connection.OAuth.SharesGrantAcrossProducts && _owners.TryGetValue(FamilyKey(connection, connection.Snapshot.AccountId), out var owner)
            ? owner
            : connection.Snapshot;

    /// <summary>
    /// The record, its grant's owner and its siblings in one store round trip (the account's
    /// records carry all three); two when the record has left the account the connection knew.
    /// Throws <c>integration_not_found</c> / <c>integration_reauthorization_required</c> as
    /// <see cref="TokenSources.ReadUsableAsync"/> does.
    /// </summary>
    public async Task<GrantRead> ReadAsync(OAuthConnection connection, CancellationToken cancellationToken)
    {
        if (!connection.OAuth.SharesGrantAcrossProducts)
        {
            var own = await sources.ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
            return new GrantRead(own, own, []);
        }

        var accountId = connection.Snapshot.AccountId;
        var candidates = await store.FindByAccountAsync(accountId, connection.OAuth.Providers, cancellationToken).ConfigureAwait(false);
        var record = candidates.FirstOrDefault(c => c.Id == connection.IntegrationId);
        if (record is null)
        {
            // Deleted, or (rarely) moved to another account: the record itself says which.
            record = await sources.ReadUsableAsync(connection, cancellationToken).ConfigureAwait(false);
            candidates = await store.FindByAccountAsync(record.AccountId, connection.OAuth.Providers, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            record = sources.EnsureUsable(connection, record);
        }

        var owner = OwnerAmong(candidates, record);
        if (_owners.Count >= MaxRememberedOwners)
        {
            _owners.Clear();
        }

        _owners[FamilyKey(connection, record.AccountId)] = owner;
        return new GrantRead(record, owner, SiblingsAmong(connection, candidates, record));
    }

    /// <summary>The other integrations of the account that hold the same refresh token (one Atlassian grant); none for a provider whose grants are not shared.</summary>
    public async Task<IReadOnlyList<Integration>> SiblingsAsync(OAuthConnection connection, Integration record, CancellationToken cancellationToken)
    {
        if (!connection.OAuth.SharesGrantAcrossProducts
            || record.GetCredential(connection.Slot.RefreshTokenField) is null)
        {
            return [];
        }

        var candidates = await store.FindByAccountAsync(record.AccountId, connection.OAuth.Providers, cancellationToken).ConfigureAwait(false);
        return SiblingsAmong(connection, candidates, record);
    }

    /// <summary>
    /// The records of <paramref name="targets"/> as the store holds them now, by id (absent: gone,
    /// or no longer on the account). One round trip: an account lookup when the grant is shared
    /// (the targets are one account's), else a read of the single target.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, Integration>> CurrentAsync(OAuthConnection connection, IReadOnlyList<Integration> targets, CancellationToken cancellationToken)
    {
        if (!connection.OAuth.SharesGrantAcrossProducts && targets.Count == 1)
        {
            var current = await store.GetAsync(targets[0].Id, cancellationToken).ConfigureAwait(false);
            return current is null ? new Dictionary<string, Integration>() : new Dictionary<string, Integration> { [current.Id] = current };
        }

        var found = new Dictionary<string, Integration>(StringComparer.Ordinal);
        foreach (var accountId in targets.Select(t => t.AccountId).Distinct(StringComparer.Ordinal))
        {
            foreach (var record in await store.FindByAccountAsync(accountId, connection.OAuth.Providers, cancellationToken).ConfigureAwait(false))
            {
                found[record.Id] = record;
            }
        }

        return found;
    }

    private static Integration OwnerAmong(IReadOnlyList<Integration> candidates, Integration record) =>
        candidates
            .Where(c => c.AuthType == IntegrationAuthTypes.OAuth2 && c.Id != record.Id)
            .Append(record)
            .MinBy(r => r.Id, StringComparer.Ordinal)!;

    private static List<Integration> SiblingsAmong(OAuthConnection connection, IReadOnlyList<Integration> candidates, Integration record) =>
        record.GetCredential(connection.Slot.RefreshTokenField) is not { } refreshToken
            ? []
            : candidates
                .Where(c => c.Id != record.Id
                    && c.AuthType == IntegrationAuthTypes.OAuth2
                    && string.Equals(c.GetCredential(connection.Slot.RefreshTokenField), refreshToken, StringComparison.Ordinal))
                .ToList();

    private static string FamilyKey(OAuthConnection connection, string accountId) =>
        string.Concat(connection.OAuth.Providers.Order(StringComparer.Ordinal).FirstOrDefault(), "|", accountId);
}
