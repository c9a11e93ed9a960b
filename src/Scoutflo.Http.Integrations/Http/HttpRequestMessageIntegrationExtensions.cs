namespace Scoutflo.Http.Integrations;

/// <summary>Per-request choice of the integration whose credential a request carries.</summary>
public static partial class HttpRequestMessageIntegrationExtensions
{
    internal static readonly HttpRequestOptionsKey<string> IntegrationIdKey = IntegrationRequestOptions.IntegrationId;

    /// <summary>
    /// Sends this request on behalf of <paramref name="integrationId"/>; it wins over the id the
    /// client was registered with.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="integrationId">The integration id.</param>
    /// <returns>The same request.</returns>
    public static HttpRequestMessage SetIntegrationId(this HttpRequestMessage request, string integrationId)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        request.Options.Set(IntegrationIdKey, integrationId);
        return request;
    }

    /// <summary>The integration id set on this request, or <see langword="null"/>.</summary>
    /// <param name="request">The request.</param>
    public static string? GetIntegrationId(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Options.TryGetValue(IntegrationIdKey, out var id) ? id : null;
    }
}
