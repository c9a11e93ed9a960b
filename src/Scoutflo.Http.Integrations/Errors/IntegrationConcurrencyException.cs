namespace Scoutflo.Http.Integrations;

/// <summary>
/// An update was refused because the stored record is no longer at the expected version
/// (<c>integration_version_conflict</c>): someone else wrote it first. Re-read and retry.
/// </summary>
public sealed class IntegrationConcurrencyException : IntegrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="integrationId">The integration that was updated concurrently.</param>
    /// <param name="expectedVersion">The version the update expected to replace.</param>
    public IntegrationConcurrencyException(string integrationId, int expectedVersion)
        : base(IntegrationErrorCodes.VersionConflict,
            $"Integration '{integrationId}' is no longer at version {expectedVersion}; it was changed by another writer. Read it again and retry.")
    {
        IntegrationId = integrationId;
        ExpectedVersion = expectedVersion;
    }

    /// <summary>The version the refused update expected.</summary>
    public int ExpectedVersion { get; }
}
