namespace Scoutflo.Http.Integrations.Fakes;

/// <summary>A request as a fake received it, for tests that check what arrived on the wire.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, without the query.</param>
/// <param name="Query">The raw query string, without the leading <c>?</c>; empty when none.</param>
/// <param name="Headers">The request headers (case-insensitive names; several values joined by <c>", "</c>).</param>
/// <param name="Body">The body as text, or null when the request had none.</param>
public sealed record FakeHttpRequest(
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    string? Body);
