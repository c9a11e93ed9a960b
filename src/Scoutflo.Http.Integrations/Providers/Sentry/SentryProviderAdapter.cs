namespace Scoutflo.Http.Integrations.Providers.Sentry;

/// <summary>
/// Sentry: the base URL is part of the connection (<c>https://sentry.io</c>, the regional
/// <c>us.sentry.io</c> / <c>de.sentry.io</c>, or a self-hosted host), defaulting to sentry.io.
/// </summary>
internal sealed class SentryProviderAdapter : IProviderAdapter
{
    public const string DefaultBaseUrl = "https://sentry.io";

    public ProviderProfile Profile { get; } = new()
    {
        Name = IntegrationProviders.Sentry,
        AuthTypes = [IntegrationAuthTypes.Bearer, IntegrationAuthTypes.OAuth2],
    };

    public void Validate(Integration integration)
    {
        GetEndpoint(integration);

        // An installation's tokens are refreshed at a path naming it.
        if (integration.AuthType == IntegrationAuthTypes.OAuth2
            && (integration.GetMetadata(IntegrationMetadataKeys.InstallationId) is not { } id || !SentryOAuthProvider.IsPathSegment(id)))
        {
            throw new IntegrationException(IntegrationErrorCodes.RecordInvalid,
                $"A Sentry-app integration needs an '{IntegrationMetadataKeys.InstallationId}' (the installation's uuid).")
            {
                IntegrationId = ProviderUrls.NullIfEmpty(integration.Id),
                Provider = integration.Provider,
            };
        }
    }

    public ProviderEndpoint GetEndpoint(Integration integration) =>
        new(ProviderUrls.RequireBase(integration, IntegrationMetadataKeys.BaseUrl, DefaultBaseUrl), null);
}
