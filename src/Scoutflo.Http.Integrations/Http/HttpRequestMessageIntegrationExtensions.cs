using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

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
        return TryGetExistingOption(request, IntegrationIdKey, out var id) ? id : null;
    }

    /// <summary>
    /// Reads an option without making the request's options: <c>request.Options</c> makes them
    /// on first read (about 100 B per request), and most requests never set any.
    /// </summary>
    internal static bool TryGetExistingOption<T>(HttpRequestMessage request, HttpRequestOptionsKey<T> key, [MaybeNullWhen(false)] out T value)
    {
        var options = s_optionsReadable ? ExistingOptions(request) : request.Options;
        if (options is null)
        {
            value = default;
            return false;
        }

        return options.TryGetValue(key, out value);
    }

    // Whether this runtime's HttpRequestMessage keeps its options in the field read below
    // (every .NET since 5 does); if a future one does not, the public getter is used instead.
    private static bool s_optionsReadable = true;

    private static HttpRequestOptions? ExistingOptions(HttpRequestMessage request)
    {
        try
        {
            return OptionsField(request);
        }
        catch (MissingFieldException)
        {
            s_optionsReadable = false;
            return request.Options;
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_options")]
    private static extern ref HttpRequestOptions? OptionsField(HttpRequestMessage request);
}
