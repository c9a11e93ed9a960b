using Scoutflo.Http.Integrations.Storage.InMemory;

namespace Scoutflo.Http.Integrations.Tests.Storage.InMemory;

public class InMemoryDistributedLockTests
{
    [Fact]
    public async Task TryExtendAsync_WhileHeld_True_AfterRelease_False_AndTheNextHolderIsUnaffected()
    {
        var locks = new InMemoryDistributedLock();
        IDistributedLockHandle first = (await locks.TryAcquireAsync("k", TimeSpan.FromSeconds(60), TimeSpan.Zero))!;

        Assert.True(await first.TryExtendAsync(TimeSpan.FromSeconds(60)));
        Assert.Null(await locks.TryAcquireAsync("k", TimeSpan.FromSeconds(60), TimeSpan.Zero));
        await first.DisposeAsync();
        await using var second = await locks.TryAcquireAsync("k", TimeSpan.FromSeconds(60), TimeSpan.Zero);

        Assert.False(await first.TryExtendAsync(TimeSpan.FromSeconds(60)));
        Assert.NotNull(second);
        Assert.True(await second.TryExtendAsync(TimeSpan.FromSeconds(60)));
    }
}
