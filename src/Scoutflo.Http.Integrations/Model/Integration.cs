namespace Scoutflo.Http.Integrations;

/// <summary>
/// One connected account of one provider: the record stored in the <c>integrations</c>
/// collection (see the storage contract in the README). Immutable; change it with a
/// <c>with</c> expression and write it back through <see cref="IIntegrationStore.UpdateAsync"/>.
/// </summary>
public sealed record Integration
{
    private static readonly IReadOnlyDictionary<string, string> Empty = FrozenDictionary<string, string>.Empty;

    /// <summary>The integration id: the 24-hex form of the document's ObjectId. Empty until the record is inserted.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>The provider name (<see cref="IntegrationProviders"/>): <c>jira</c>, <c>jsm</c>, <c>confluence</c>, <c>slack</c>, <c>sentry</c>, <c>custom</c>, ...</summary>
    public required string Provider { get; init; }

    /// <summary>The consuming service's account (tenant) that owns the connection.</summary>
    public required string AccountId { get; init; }

    /// <summary>The user who created the connection, if known.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>How requests are authenticated (<see cref="IntegrationAuthTypes"/>).</summary>
    public required string AuthType { get; init; }

    /// <summary>Secret fields (tokens, keys, passwords) by their snake_case names. Never logged.</summary>
    public IReadOnlyDictionary<string, string> Credentials { get; init; } = Empty;

    /// <summary>Non-secret provider facts by their snake_case names (<see cref="IntegrationMetadataKeys"/>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = Empty;

    /// <summary>The scopes granted to the connection.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The lifecycle state (<see cref="IntegrationStatus"/>). Default <c>active</c>.</summary>
    public string Status { get; init; } = IntegrationStatus.Active;

    /// <summary>The optimistic-concurrency version: 1 after insert, one more after every update.</summary>
    public int Version { get; init; }

    /// <summary>When the record was inserted.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the record was last written.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>A credential field, or <see langword="null"/> when absent or empty.</summary>
    /// <param name="name">The snake_case field name.</param>
    public string? GetCredential(string name) =>
        Credentials.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>A metadata field, or <see langword="null"/> when absent or empty.</summary>
    /// <param name="name">The snake_case field name.</param>
    public string? GetMetadata(string name) =>
        Metadata.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>Prints the record without its credentials' values, so that it is safe to log.</summary>
    public override string ToString() =>
        $"Integration {{ Id = {Id}, Provider = {Provider}, AccountId = {AccountId}, AuthType = {AuthType}, Status = {Status}, Version = {Version}, Credentials = [{string.Join(", ", Credentials.Keys)}] }}";
}
