namespace Scoutflo.Http.Integrations.Tests.TestSupport;

/// <summary>What reached the (fake) network: copied at send time, because the request is disposed afterwards.</summary>
internal sealed record SentRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string[]> Headers)
{
    public static SentRequest Of(HttpRequestMessage request) => new(
        request.Method,
        request.RequestUri ?? throw new InvalidOperationException("A request without a URI reached the network."),
        request.Headers.ToDictionary(h => h.Key, h => h.Value.ToArray(), StringComparer.OrdinalIgnoreCase));

    /// <summary>Every value of a header (an empty array when absent), so that a duplicate is visible.</summary>
    public string[] Header(string name) => Headers.TryGetValue(name, out var values) ? values : [];
}
