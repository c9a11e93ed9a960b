namespace Scoutflo.Http.Integrations;

/// <summary>No integration exists with the requested id (<c>integration_not_found</c>).</summary>
public sealed class IntegrationNotFoundException : IntegrationException
{
    /// <summary>Creates the exception for an integration id.</summary>
    /// <param name="integrationId">The id that was not found.</param>
    public IntegrationNotFoundException(string integrationId)
        : base(IntegrationErrorCodes.NotFound, $"Integration '{integrationId}' was not found.")
    {
        IntegrationId = integrationId;
    }
}
