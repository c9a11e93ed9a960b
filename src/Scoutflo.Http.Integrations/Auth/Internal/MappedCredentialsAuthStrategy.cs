namespace Scoutflo.Http.Integrations.Auth.Internal;

/// <summary>
/// Several stored credential fields sent as headers (e.g. <c>X-Api-Key</c> + <c>X-Api-Secret</c>).
/// The provider's mapping wins; a provider without one (<c>custom</c>) takes it from the
/// record's <c>credential_headers</c> metadata: <c>X-Api-Key=api_key,X-Api-Secret=api_secret</c>.
/// </summary>
internal sealed class MappedCredentialsAuthStrategy : IAuthStrategy
{
    public string AuthType => IntegrationAuthTypes.MappedCredentials;

    public void Validate(Integration integration, ProviderProfile provider) => Headers(integration, provider);

    public ICredentialApplier CreateApplier(Integration integration, ProviderProfile provider) =>
        new HeaderCredentialApplier([.. Headers(integration, provider)]);

    private static List<KeyValuePair<string, string>> Headers(Integration integration, ProviderProfile provider)
    {
        var mapping = provider.CredentialHeaders.Count > 0
            ? provider.CredentialHeaders.ToList()
            : ParseMapping(integration);
        if (provider.CredentialHeaders.Count > 0 && mapping.Any(m => !HeaderNames.IsAllowedForCredential(m.Key)))
        {
            throw CredentialRules.Invalid(integration,
                $"The {provider.Name} provider maps a credential to a header that is not a valid header name, or that frames or routes the request.");
        }

        if (mapping.Count == 0)
        {
            throw CredentialRules.Invalid(integration,
                $"Mapped credentials need a mapping: the provider has none, and the '{IntegrationMetadataKeys.CredentialHeaders}' metadata is missing.");
        }

        return mapping
            .Select(m => new KeyValuePair<string, string>(m.Key, CredentialRules.Require(integration, m.Value)))
            .ToList();
    }

    private static List<KeyValuePair<string, string>> ParseMapping(Integration integration)
    {
        var text = integration.GetMetadata(IntegrationMetadataKeys.CredentialHeaders);
        var result = new List<KeyValuePair<string, string>>();
        if (text is null)
        {
            return result;
        }

        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !HeaderNames.IsToken(parts[0]) || parts[1].Length == 0)
            {
                throw CredentialRules.Invalid(integration,
                    $"The '{IntegrationMetadataKeys.CredentialHeaders}' metadata must be 'Header-Name=credential_field' pairs separated by commas.");
            }

            if (!HeaderNames.IsAllowedForCredential(parts[0]))
            {
                throw CredentialRules.Invalid(integration,
                    $"The '{IntegrationMetadataKeys.CredentialHeaders}' metadata names a header that frames or routes the request (Host, Content-Length, Transfer-Encoding, Connection, Upgrade, TE, Trailer, Keep-Alive, Expect, Proxy-*).");
            }

            result.Add(new(parts[0], parts[1]));
        }

        return result;
    }
}
