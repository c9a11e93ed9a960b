namespace Scoutflo.Http.Integrations.Auth.Internal;

/// <summary>An API key sent as a query parameter (for the APIs that take nothing else).</summary>
internal sealed class QueryParameterCredentialApplier(string parameterName, string apiKey) : ICredentialApplier
{
    private readonly string _pair = $"{Uri.EscapeDataString(parameterName)}={Uri.EscapeDataString(apiKey)}";
    private readonly string _prefix = Uri.EscapeDataString(parameterName) + "=";

    public bool CanRefresh => false;

    public ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        var builder = new UriBuilder(uri);
        var kept = builder.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.StartsWith(_prefix, StringComparison.Ordinal));
        builder.Query = string.Join('&', kept.Append(_pair));
        request.RequestUri = builder.Uri;
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> TryRefreshAsync(HttpRequestMessage failedRequest, HttpResponseMessage response, CancellationToken cancellationToken) =>
        ValueTask.FromResult(false);

    public override string ToString() => $"query parameter {parameterName}";
}
