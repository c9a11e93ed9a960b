using Microsoft.Extensions.Hosting;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// Says at start-up, not at the first install, that no <c>StateSigningKey</c> is configured:
/// the warning (event 2102) is logged when the host starts, and with a shared one-time store
/// (Redis) the start fails, since a callback that reaches another replica would carry a state
/// signed with a key that replica does not have. Every one-time store but the in-memory one
/// is taken as shared: a storage package (or an application's own store) needs no marker to
/// get the safe answer.
/// </summary>
internal sealed class StateSigningKeyStartupCheck(IServiceProvider services, IOptions<ScoutfloIntegrationsOptions> options) : IHostedService
{
    public const string ConfigurationKey = "ScoutfloIntegrations:StateSigningKey";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.StateSigningKey is null && services.GetService<IOneTimeStore>() is not (null or IProcessLocalStore))
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ScoutfloIntegrationsOptions),
            [
                $"{ConfigurationKey} is required with a shared one-time store (UseRedis): several replicas share the OAuth state, and a callback may reach a replica other than the one that signed its state. Set the same base64 key (at least {Connections.Internal.ScoutfloIntegrationsOptionsValidator.MinimumSigningKeyBytes} bytes) in every replica.",
            ]);
        }

        // Building the protector logs the missing-key warning now rather than at the first install.
        _ = services.GetRequiredService<OAuthStateProtector>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
