namespace Scoutflo.Http.Integrations.Auth.Internal;

/// <summary>
/// Static credentials sent as headers. The header values are computed once per resolved
/// connection, so a request costs only the header writes; nothing here can be refreshed.
/// </summary>
internal sealed class HeaderCredentialApplier(KeyValuePair<string, string>[] headers) : ICredentialApplier
{
    public bool CanRefresh => false;

    public ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // An array, not a list interface: its loop boxes no enumerator per request.
        foreach (var (name, value) in headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> TryRefreshAsync(HttpRequestMessage failedRequest, HttpResponseMessage response, CancellationToken cancellationToken) =>
        ValueTask.FromResult(false);

    // The values are secrets; only the header names may ever be printed.
    public override string ToString() => $"headers [{string.Join(", ", headers.Select(h => h.Key))}]";
}
