using Scoutflo.Http.Integrations.Connections.Internal;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>The one way the refresh path writes a record: a converging conditional update.</summary>
internal static class TokenRecordWrites
{
    /// <summary>A converging conditional update; a store failure other than a conflict becomes <c>integration_store_write_failed</c>.</summary>
    public static async Task<Integration?> UpdateWithRetryAsync(IIntegrationStore store, Integration target, Func<Integration, Integration?> change, CancellationToken cancellationToken)
    {
        var integrationId = target.Id;
        try
        {
            return await ConvergingUpdate.ApplyAsync(
                ct => store.GetAsync(integrationId, ct),
                (updated, version, ct) => store.UpdateAsync(updated, version, ct),
                change,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not IntegrationException and not OperationCanceledException)
        {
            throw new IntegrationException(IntegrationErrorCodes.StoreWriteFailed,
                $"Integration '{integrationId}': the store refused the write of its rotated tokens.", ex)
            {
                IntegrationId = integrationId,
                Provider = target.Provider,
            };
        }
    }
}
