using Scoutflo.Http.Integrations.Install.Internal;
using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations.Providers.Sentry;

/// <summary>
/// Sentry: the base URL is part of the connection (<c>https://sentry.io</c>, the regional
/// <c>us.sentry.io</c> / <c>de.sentry.io</c>, or a self-hosted host), defaulting to sentry.io.
/// </summary>
internal sealed class SentryProvider(IOptionsMonitor<SentryOptions> options, SentryOAuthProvider oauth, SentryInstaller installer) : IIntegrationProvider
{
    public const string DefaultBaseUrl = "https://sentry.io";

    public IReadOnlyList<ProviderProfile> Profiles { get; } =
    [
        new()
        {
            Name = IntegrationProviders.Sentry,
            AuthTypes = [IntegrationAuthTypes.Bearer, IntegrationAuthTypes.OAuth2],
        },
    ];

    public IOAuthProvider? OAuth => oauth;

    public IOAuthInstaller? Installer => installer;

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

    public ProviderEndpoint GetEndpoint(Integration integration)
    {
        var baseAddress = ProviderUrls.RequireBase(integration, IntegrationMetadataKeys.BaseUrl, DefaultBaseUrl);
        if (!IsAllowedHost(baseAddress))
        {
            throw ProviderUrls.NotAllowed(integration, IntegrationMetadataKeys.BaseUrl, baseAddress,
                $"sentry.io, an https host under sentry.io, nor one of {nameof(SentryOptions)}.{nameof(SentryOptions.BaseUrl)}, {nameof(SentryOptions.AdditionalBaseUrls)} or {nameof(SentryOptions.SelfHostedBaseUrls)}");
        }

        return new(baseAddress, null);
    }

    // sentry.io and its regional and organization hosts are Sentry's own; any other host must be
    // one the application named. Auth-token connections need no Sentry app, so these options are
    // read whether or not AddSentry was called.
    private bool IsAllowedHost(Uri baseAddress)
    {
        if (ProviderUrls.IsHttpsOn(baseAddress, "sentry.io", apex: true))
        {
            return true;
        }

        var settings = options.CurrentValue;
        return ProviderUrls.OnAnyOrigin(baseAddress, [settings.BaseUrl])
            || ProviderUrls.OnAnyOrigin(baseAddress, settings.AdditionalBaseUrls)
            || ProviderUrls.OnAnyOrigin(baseAddress, settings.SelfHostedBaseUrls);
    }
}
