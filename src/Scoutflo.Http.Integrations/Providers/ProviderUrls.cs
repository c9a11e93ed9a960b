using Scoutflo.Http.Integrations.Model.Internal;

namespace Scoutflo.Http.Integrations.Providers;

/// <summary>Parsing of the base and site URLs that records and options carry.</summary>
internal static class ProviderUrls
{
    private static readonly System.Buffers.SearchValues<char> DnsLabelCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");

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
        if (value is { Length: <= StoredValueRules.MaxUrlLength } && TryParseBase(value, out var uri))
        {
            return uri;
        }

        var what = value switch
        {
            null => "is missing",
            { Length: > StoredValueRules.MaxUrlLength } => $"is longer than {StoredValueRules.MaxUrlLength} characters",
            _ => "is not an absolute https URL without user info, query or fragment",
        };
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
    /// The checks every OAuth app's options share: the client credentials, then each URL that
    /// would receive a secret (redirect URI, endpoints, API base), named by configuration key.
    /// </summary>
    public static void CheckOAuthApp(ValidateOptionsResultBuilder builder, string section, string? clientId, string? clientSecret, params (Uri? Value, string Name)[] urls)
    {
        CheckRequired(builder, clientId, $"{section}:ClientId");
        CheckRequired(builder, clientSecret, $"{section}:ClientSecret");
        foreach (var (value, urlName) in urls)
        {
            CheckOptionUrl(builder, value, $"{section}:{urlName}");
        }
    }

    /// <summary>Same scheme, host and port: where a credential sent to one URL would also go for the other.</summary>
    public static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    /// <summary>Whether <paramref name="uri"/> has the origin of one of <paramref name="allowed"/>.</summary>
    public static bool OnAnyOrigin(Uri uri, IEnumerable<Uri?>? allowed) =>
        allowed is not null && allowed.Any(a => a is { IsAbsoluteUri: true } && SameOrigin(uri, a));

    /// <summary>
    /// An https URL on the default port whose host is <paramref name="domain"/> itself (when
    /// <paramref name="apex"/>) or one DNS label under it: <c>acme.atlassian.net</c>, not
    /// <c>acme.atlassian.net.evil.example</c>, <c>evilatlassian.net</c> or <c>a.b.atlassian.net</c>.
    /// </summary>
    public static bool IsHttpsOn(Uri uri, string domain, bool apex)
    {
        if (uri.Scheme != Uri.UriSchemeHttps || !uri.IsDefaultPort)
        {
            return false;
        }

        var host = uri.IdnHost.TrimEnd('.');
        if (string.Equals(host, domain, StringComparison.OrdinalIgnoreCase))
        {
            return apex;
        }

        if (!host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var label = host.AsSpan(0, host.Length - domain.Length - 1);
        return label.Length is > 0 and <= 63
            && label[0] != '-' && label[^1] != '-'
            && !label.ContainsAnyExcept(DnsLabelCharacters);
    }

    /// <summary>The error for a well-formed URL that is not on the provider's hosts; names the host, which is no secret.</summary>
    public static IntegrationException NotAllowed(Integration integration, string metadataKey, Uri uri, string rule) =>
        new(IntegrationErrorCodes.BaseUrlNotAllowed,
            $"The '{metadataKey}' metadata of this {integration.Provider} integration points at {uri.Scheme}://{uri.IdnHost}{(uri.IsDefaultPort ? "" : ":" + uri.Port)}, which is not {rule}; its credentials are not sent there.")
        {
            IntegrationId = NullIfEmpty(integration.Id),
            Provider = integration.Provider,
        };

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
