using Scoutflo.Http.Integrations.Hosting.Internal;

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
    ILogger<CredentialReencryptionService> logger) : PeriodicPassService(timeProvider)
{
    protected override bool RunsAtStart => true;

    protected override TimeSpan Interval => options.CurrentValue.ReencryptionInterval;

    protected override Task RunPassAsync(CancellationToken cancellationToken)
    {
        // Read at each pass: turning the pass (or encryption) off takes effect without a restart.
        var current = options.CurrentValue;
        return current.BackgroundReencryption && current.EncryptWrites
            ? migration.EncryptAllAsync(cancellationToken: cancellationToken)
            : Task.CompletedTask;
    }

    protected override void PassFailed(TimeSpan interval, Exception exception) =>
        SecretsLog.ReencryptionPassFailed(logger, interval.TotalSeconds, exception);
}
