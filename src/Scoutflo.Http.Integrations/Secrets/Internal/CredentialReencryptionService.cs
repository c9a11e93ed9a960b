using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Secrets.Internal;

/// <summary>
/// Runs the encrypt pass at start and then every <see cref="CredentialEncryptionOptions.ReencryptionInterval"/>
/// when <see cref="CredentialEncryptionOptions.BackgroundReencryption"/> is on: plain records
/// get encrypted, records under a retired key move to the current one. Replicas running it at
/// once are safe: every write is version-conditional and a record already done is skipped.
/// </summary>
internal sealed class CredentialReencryptionService(
    IntegrationCredentialMigration migration,
    IOptionsMonitor<CredentialEncryptionOptions> options,
    TimeProvider timeProvider,
    ILogger<CredentialReencryptionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var current = options.CurrentValue;
            try
            {
                if (current.BackgroundReencryption && current.EncryptWrites)
                {
                    await migration.EncryptAllAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                }

                await Task.Delay(current.ReencryptionInterval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed pass (e.g. the store is down) must not stop the next ones.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                SecretsLog.ReencryptionPassFailed(logger, current.ReencryptionInterval.TotalSeconds, ex);
                try
                {
                    await Task.Delay(current.ReencryptionInterval, timeProvider, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }
}
