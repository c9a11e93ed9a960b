using Microsoft.Extensions.Logging;

namespace Scoutflo.Http.Integrations.Secrets.Internal;

/// <summary>
/// The log lines of encryption at rest, in their own class beside the feature (as the
/// providers' are), with fixed ids 2400-2449. Parameters are ids, field names, key ids and
/// counts: never a value, plain or encrypted.
/// </summary>
internal static partial class SecretsLog
{
    [LoggerMessage(2400, LogLevel.Error, "Integration {IntegrationId}: the stored credential '{Field}' was refused ({ErrorCode}, key id {KeyId}); it is not used.")]
    public static partial void CredentialRefused(ILogger logger, string integrationId, string field, string errorCode, string keyId);

    [LoggerMessage(2401, LogLevel.Warning, "A shared-cache value was refused ({ErrorCode}, key id {KeyId}) and read as a miss.")]
    public static partial void CacheValueRefused(ILogger logger, string errorCode, string keyId);

    [LoggerMessage(2402, LogLevel.Error, "A one-time value was refused ({ErrorCode}, key id {KeyId}).")]
    public static partial void OneTimeValueRefused(ILogger logger, string errorCode, string keyId);

    [LoggerMessage(2403, LogLevel.Warning, "Integration {IntegrationId} was left out of a listing: {ErrorCode}.")]
    public static partial void RecordSkipped(ILogger logger, string integrationId, string errorCode);

    [LoggerMessage(2410, LogLevel.Information, "Credential {Direction} pass: {Scanned} record(s) read, {Rewritten} rewritten, {Unchanged} already done, {Failed} failed; last id {LastId}.")]
    public static partial void MigrationPass(ILogger logger, string direction, int scanned, int rewritten, int unchanged, int failed, string lastId);

    [LoggerMessage(2411, LogLevel.Warning, "Credential {Direction} pass: integration {IntegrationId} was not rewritten ({ErrorCode}).")]
    public static partial void MigrationRecordFailed(ILogger logger, string direction, string integrationId, string errorCode);

    [LoggerMessage(2412, LogLevel.Error, "A background re-encryption pass failed; the next one runs in {IntervalSeconds} s.")]
    public static partial void ReencryptionPassFailed(ILogger logger, double intervalSeconds, Exception exception);
}
