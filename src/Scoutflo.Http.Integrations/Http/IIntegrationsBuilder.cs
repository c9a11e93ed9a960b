namespace Scoutflo.Http.Integrations;

/// <summary>Returned by <c>AddScoutfloIntegrations</c>: adds providers and real storage.</summary>
public interface IIntegrationsBuilder
{
    /// <summary>The service collection the library is registered in.</summary>
    IServiceCollection Services { get; }
}
