namespace Scoutflo.Http.Integrations;

/// <summary>The values of <see cref="Integration.Status"/>.</summary>
public static class IntegrationStatus
{
    /// <summary>The connection works.</summary>
    public const string Active = "active";

    /// <summary>The provider refused the refresh token; the user must install the integration again.</summary>
    public const string ReauthorizationRequired = "reauthorization_required";

    /// <summary>The connection was switched off by the consuming service.</summary>
    public const string Disabled = "disabled";
}
