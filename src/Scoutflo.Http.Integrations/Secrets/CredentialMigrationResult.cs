namespace Scoutflo.Http.Integrations;

/// <summary>What a credential migration pass (or the part of it run so far) did.</summary>
/// <param name="Scanned">Records read.</param>
/// <param name="Rewritten">Records written back encrypted (or decrypted).</param>
/// <param name="Unchanged">Records already as wanted: under the current key (or plain), or without credentials.</param>
/// <param name="Failed">Records left as they were because a value could not be decrypted, or the write did not converge; each is logged.</param>
/// <param name="LastId">The last id read: pass it as <c>afterId</c> to resume after an interruption; <see langword="null"/> before the first page.</param>
public sealed record CredentialMigrationResult(int Scanned, int Rewritten, int Unchanged, int Failed, string? LastId);
