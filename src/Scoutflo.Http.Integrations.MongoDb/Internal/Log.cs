namespace Scoutflo.Http.Integrations.MongoDb.Internal;

/// <summary>
/// The MongoDB store's log lines: event ids 3000-3019 of the library's storage range
/// (3000-3099). Parameters are ids and collection names, never a connection string.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Debug, "MongoDB indexes of collection {Collection} are in place.")]
    public static partial void MongoIndexesEnsured(ILogger logger, string collection);

    [LoggerMessage(3001, LogLevel.Warning, "MongoDB indexes of collection {Collection} could not be created; reads by account are slower, results are unaffected.")]
    public static partial void MongoIndexCreationFailed(ILogger logger, string collection, Exception exception);

    [LoggerMessage(3002, LogLevel.Warning, "Integration {IntegrationId} in collection {Collection} cannot be read and is left out of the listing: {Reason}")]
    public static partial void MongoRecordUnreadable(ILogger logger, string integrationId, string collection, string reason);
}
