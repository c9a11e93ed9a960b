using Scoutflo.Http.Integrations;

namespace JiraConsumer;

internal static class StorageSetup
{
    /// <summary>
    /// MongoDB (section <c>MongoDb</c>: ConnectionString, DatabaseName) and Redis (section
    /// <c>Redis</c>: Configuration) when set; the in-memory defaults otherwise. Both must be
    /// set for several replicas of this service to share connections and refreshes.
    /// </summary>
    public static void Apply(IIntegrationsBuilder integrations, IConfiguration configuration)
    {
        if (!string.IsNullOrEmpty(configuration["MongoDb:ConnectionString"]))
        {
            integrations.UseMongoDb(configuration.GetSection("MongoDb"));
        }

        if (!string.IsNullOrEmpty(configuration["Redis:Configuration"]))
        {
            integrations.UseRedis(configuration.GetSection("Redis"));
        }
    }
}
