using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Providers;

/// <summary>Parsing of the base and site URLs that records and options carry.</summary>
internal static class ProviderUrls
{
    /// <summary>
    /// Accepts an absolute https URL with no user info, query or fragment; plain http only on a
    /// loopback host (local fakes), so that a credential is never sent in clear over a network.
    /// </summary>
    public static bool TryParseBase(string? value, out Uri baseAddress)
    {
        baseAddress = null!;
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var schemeOk = uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);
        if (!schemeOk || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.Host.Length == 0)
        {
            return false;
        }

        baseAddress = uri;
        return true;
    }

    public static Uri RequireBase(Integration integration, string metadataKey, string? fallback = null)
    {
        var value = integration.GetMetadata(metadataKey) ?? fallback;
        if (TryParseBase(value, out var uri))
        {
            return uri;
        }

        var what = value is null ? "is missing" : "is not an absolute https URL without user info, query or fragment";
        throw new IntegrationException(IntegrationErrorCodes.BaseUrlInvalid,
            $"The '{metadataKey}' metadata of this {integration.Provider} integration {what}.")
        {
            IntegrationId = NullIfEmpty(integration.Id),
            Provider = integration.Provider,
        };
    }

    public static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    // Named by the configuration key (Atlassian:ClientId): that is what an operator sets.
    public static void CheckRequired(ValidateOptionsResultBuilder builder, string? value, string configurationKey)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            builder.AddError($"{configurationKey} is required but is missing or empty.");
        }
    }

    /// <summary>
    /// The URL rule of every provider's options, so that an endpoint or redirect URI that would
    /// receive a secret is held to the same rule as a record's base URL.
    /// </summary>
    public static void CheckOptionUrl(ValidateOptionsResultBuilder builder, Uri? value, string property)
    {
        // Missing values are the attribute validator's to report.
        if (value is not null && !TryParseBase(value.IsAbsoluteUri ? value.GetLeftPart(UriPartial.Path) : value.OriginalString, out _))
        {
            builder.AddError($"{property} must be an absolute https URL (http only on loopback) without user info.");
        }
    }
}
