namespace Scoutflo.Http.Integrations.Http.Internal;

internal sealed class IntegrationsBuilder(IServiceCollection services) : IIntegrationsBuilder
{
    public IServiceCollection Services { get; } = services;
}
