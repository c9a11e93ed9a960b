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
        if (header is not null && !HeaderNames.IsToken(header))
        {
            throw CredentialRules.Invalid(integration, $"'{header}' is not a valid header name.");
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
