using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Connections.Internal;
using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.OAuth.Refresh;

public sealed class OAuthTokenCleanupTests
{
    [Fact]
    public async Task DeleteConnectionAsync_OAuthRecord_BothTokenSlotsAndTheJournalLeaveTheSharedCache()
    {
        await using var parts = new RefreshParts();
        var slack = await parts.AddOAuthAsync(IntegrationProviders.Slack, "rt-1");
        var keys = OAuthTokenSlot.All
            .SelectMany(slot => new[] { TokenKeys.AccessToken(slack.Provider, slack.Id, slack.AccountId, slot.CacheKeyName), RotationJournal.Key(slack, slot) })
            .ToList();
        foreach (var key in keys)
        {
            await parts.Cache.SetAsync(key, "value-of-" + key, TimeSpan.FromHours(1));
        }

        Assert.True(await parts.Get<IConnectionManager>().DeleteConnectionAsync(slack.Id));

        foreach (var key in keys)
        {
            Assert.Null(await parts.Cache.GetAsync(key));
        }
    }

    [Fact]
    public async Task OnDeletedAsync_NotAnOAuthRecord_CacheUntouched()
    {
        await using var parts = new RefreshParts();
        var record = Records.CustomBearer() with { Id = "65f000000000000000000001" };
        var key = TokenKeys.AccessToken(record.Provider, record.Id, record.AccountId, OAuthTokenSlot.Primary.CacheKeyName);
        await parts.Cache.SetAsync(key, "kept", TimeSpan.FromHours(1));

        await new OAuthTokenCleanup(parts.Cache).OnDeletedAsync(record, CancellationToken.None);

        Assert.Equal("kept", (await parts.Cache.GetAsync(key))?.Token);
    }

    [Fact]
    public async Task DeleteConnectionAsync_TellsEveryDeletionObserverTheRecordAsItWas_OnlyWhenSomethingWasDeleted()
    {
        var observer = new RecordingObserver();
        await using var parts = new RefreshParts(services => services.AddSingleton<IConnectionDeletionObserver>(observer));
        var slack = await parts.AddOAuthAsync(IntegrationProviders.Slack, "rt-1");
        var connections = parts.Get<IConnectionManager>();

        Assert.True(await connections.DeleteConnectionAsync(slack.Id));
        Assert.False(await connections.DeleteConnectionAsync(slack.Id));

        var told = Assert.Single(observer.Deleted);
        Assert.Equal(slack.Id, told.Id);
        Assert.Equal("rt-1", told.GetCredential(IntegrationCredentialKeys.RefreshToken));
    }

    private sealed class RecordingObserver : IConnectionDeletionObserver
    {
        public List<Integration> Deleted { get; } = [];

        public ValueTask OnDeletedAsync(Integration deleted, CancellationToken cancellationToken)
        {
            Deleted.Add(deleted);
            return ValueTask.CompletedTask;
        }
    }
}
