using Scoutflo.Http.Integrations.Model.Internal;

namespace Scoutflo.Http.Integrations.Auth.Internal;

/// <summary>
/// An API key in a header (name and prefix from the record's metadata, else the provider's
/// default) or, when the record names one, in a query parameter.
/// </summary>
internal sealed class ApiKeyAuthStrategy : IAuthStrategy
{
    public string AuthType => IntegrationAuthTypes.ApiKey;

    public void Validate(Integration integration, ProviderProfile provider)
    {
        CredentialRules.Require(integration, IntegrationCredentialKeys.ApiKey);
        var header = integration.GetMetadata(IntegrationMetadataKeys.ApiKeyHeader);
        if (header is not null && !HeaderNames.IsAllowedForCredential(header))
        {
            // The name is not repeated: it may hold the very characters being refused.
            throw CredentialRules.Invalid(integration,
                $"The '{IntegrationMetadataKeys.ApiKeyHeader}' metadata is not a valid header name, or names a header that frames or routes the request (Host, Content-Length, Transfer-Encoding, Connection, Proxy-*, ...).");
        }

        // Also checked for every record by the connection manager; repeated here so that the
        // strategy never builds a header or query from an injecting value, whoever calls it.
        foreach (var key in (ReadOnlySpan<string>)[IntegrationMetadataKeys.ApiKeyPrefix, IntegrationMetadataKeys.ApiKeyQueryParameter])
        {
            if (integration.GetMetadata(key) is { } value && StoredValueRules.HasControlCharacter(value))
            {
                throw CredentialRules.Invalid(integration, $"The integration's metadata '{key}' contains a control character.");
            }
        }
    }

    public ICredentialApplier CreateApplier(Integration integration, ProviderProfile provider)
    {
        var key = CredentialRules.Require(integration, IntegrationCredentialKeys.ApiKey);
        var parameter = integration.GetMetadata(IntegrationMetadataKeys.ApiKeyQueryParameter);
        if (parameter is not null)
        {
            return new QueryParameterCredentialApplier(parameter, key);
        }

        var header = integration.GetMetadata(IntegrationMetadataKeys.ApiKeyHeader) ?? provider.ApiKeyHeader;
        var prefix = integration.GetMetadata(IntegrationMetadataKeys.ApiKeyPrefix);
        var value = prefix is null ? key : $"{prefix} {key}";
        return new HeaderCredentialApplier([new(header, value)]);
    }
}
