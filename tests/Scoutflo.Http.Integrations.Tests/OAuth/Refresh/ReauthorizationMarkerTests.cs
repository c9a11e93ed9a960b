using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations.Tests.OAuth.Refresh;

public sealed class ReauthorizationMarkerTests
{
    [Fact]
    public async Task MarkAsync_TwiceOnASharedGrant_EveryHolderMarkedWithOneEventEach()
    {
        var events = new RecordingEvents();
        await using var parts = new RefreshParts(services => services.AddSingleton<IIntegrationEvents>(events));
        var jira = await parts.AddOAuthAsync(IntegrationProviders.Jira, "rt-dead");
        var jsm = await parts.AddOAuthAsync(IntegrationProviders.Jsm, "rt-dead");
        var unrelated = await parts.AddOAuthAsync(IntegrationProviders.Confluence, "rt-alive");
        var marker = parts.Get<ReauthorizationMarker>();

        await marker.MarkAsync(parts.Connection(jira), "invalid_grant", CancellationToken.None);
        await marker.MarkAsync(parts.Connection(jira), "invalid_grant", CancellationToken.None);

        Assert.Equal(IntegrationStatus.ReauthorizationRequired, (await parts.Store.GetAsync(jira.Id))!.Status);
        Assert.Equal(IntegrationStatus.ReauthorizationRequired, (await parts.Store.GetAsync(jsm.Id))!.Status);
        Assert.Equal(IntegrationStatus.Active, (await parts.Store.GetAsync(unrelated.Id))!.Status);
        // One event per transition: the second call finds both already marked.
        Assert.Equal(new[] { jira.Id, jsm.Id }.Order(StringComparer.Ordinal), events.Marked.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task MarkAsync_RecordGone_NothingWrittenNoEvent()
    {
        var events = new RecordingEvents();
        await using var parts = new RefreshParts(services => services.AddSingleton<IIntegrationEvents>(events));
        var jira = await parts.AddOAuthAsync(IntegrationProviders.Jira, "rt-dead");
        await parts.Store.DeleteAsync(jira.Id);

        await parts.Get<ReauthorizationMarker>().MarkAsync(parts.Connection(jira), "invalid_grant", CancellationToken.None);

        Assert.Empty(events.Marked);
    }

    private sealed class RecordingEvents : IIntegrationEvents
    {
        public ConcurrentQueue<string> Marked { get; } = new();

        public ValueTask OnReauthorizationRequiredAsync(IntegrationEventContext context, CancellationToken cancellationToken)
        {
            Marked.Enqueue(context.IntegrationId);
            return ValueTask.CompletedTask;
        }
    }
}
