using Scoutflo.Http.Integrations.Auth.Internal;

namespace Scoutflo.Http.Integrations.Tests.TestSupport;

/// <summary>
/// Serves fixed <see cref="ResolvedConnection"/>s. Atlassian OAuth connections (an API base with a
/// path and a site host) cannot be created through the manager until an OAuth strategy exists,
/// so the handler's URL rules for them are tested over connections built here.
/// </summary>
internal sealed class StubConnectionManager(params ResolvedConnection[] connections) : IConnectionManager
{
    public const string JiraId = "65f1a2b3c4d5e6f708192a3b";
    public const string ConfluenceId = "65f1a2b3c4d5e6f708192a3c";
    public const string CloudId = "abc-123";
    public const string JiraBase = "https://api.atlassian.com/ex/jira/abc-123";
    public const string ConfluenceBase = "https://api.atlassian.com/ex/confluence/abc-123";
    public const string Site = "https://acme.atlassian.net";
    public const string AccessToken = "oauth-at-SECRET-77e1";

    private readonly Dictionary<string, ResolvedConnection> _connections =
        connections.ToDictionary(c => c.IntegrationId, StringComparer.Ordinal);

    public static ResolvedConnection AtlassianOAuth(string id, string provider, string baseAddress, string? siteAddress = Site) =>
        new(
            new Integration
            {
                Id = id,
                Provider = provider,
                AccountId = Records.AccountId,
                AuthType = IntegrationAuthTypes.OAuth2,
                Metadata = new Dictionary<string, string>
                {
                    [IntegrationMetadataKeys.CloudId] = CloudId,
                    [IntegrationMetadataKeys.SiteUrl] = Site,
                },
            },
            new Uri(baseAddress),
            siteAddress is null ? null : new Uri(siteAddress),
            new HeaderCredentialApplier([new("Authorization", "Bearer " + AccessToken)]));

    public static StubConnectionManager Atlassian() => new(
        AtlassianOAuth(JiraId, IntegrationProviders.Jira, JiraBase),
        AtlassianOAuth(ConfluenceId, IntegrationProviders.Confluence, ConfluenceBase));

    public ValueTask<ResolvedConnection> ResolveConnectionAsync(string integrationId, CancellationToken cancellationToken = default) =>
        _connections.TryGetValue(integrationId, out var connection)
            ? ValueTask.FromResult(connection)
            : throw new IntegrationNotFoundException(integrationId);

    public Task<Integration> CreateConnectionAsync(Integration integration, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Integration?> GetConnectionAsync(string integrationId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<Integration>> ListConnectionsAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Integration> UpdateConnectionAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> DeleteConnectionAsync(string integrationId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public void Invalidate(string integrationId) => throw new NotSupportedException();
}
