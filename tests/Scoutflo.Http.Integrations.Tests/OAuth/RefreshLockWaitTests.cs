using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.TestSupport;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.OAuth;

/// <summary>
/// A refresh waiting for the grant's lock while another process refreshes: the other process
/// caches the new access token before it releases the lock (and before its last store check),
/// and a waiter looks at the shared cache on a short schedule, so it is served as soon as the
/// token is there, without taking the lock in turn after every other waiting process.
/// </summary>
public sealed class RefreshLockWaitTests
{
    [Fact]
    public async Task Refresh_LockHeldByAnotherProcessThatCachesTheNewToken_IsServedFromTheCacheWithoutTheLock()
    {
        var locks = new NeverGrantedLock();
        await using var harness = new AtlassianHarness(services: services => services.AddSingleton<IDistributedLock>(locks));
        var (jira, client) = await ConnectedWithExpiredTokenAsync(harness);

        var call = client.GetMyselfAsync();
        await Signal.WaitAsync(locks.Attempted.Task, "the refresh's attempt on the lock");
        await Signal.WaitAsync(harness.Time.TimersCreated(1, RefreshCoordinator.LockWaitPollInterval), "the waiter's first look at the shared cache");

        var accessToken = await RefreshAsAnotherProcessAsync(harness, jira);
        harness.Time.Advance(RefreshCoordinator.LockWaitPollInterval);

        var user = await Signal.WaitAsync(call, "the request, served by the other process's refresh");

        Assert.Equal(harness.Fake.ConsentingAccountId, user.AccountId);
        Assert.Equal(1, harness.Fake.RefreshCalls); // the other process's: this one spent nothing
        Assert.Equal($"Bearer {accessToken}", harness.Fake.LastApiRequest!.Headers["Authorization"]);
        Assert.False(harness.Fake.IsGrantRevoked(harness.Fake.ConsentingAccountId));

        // The callers have the token first; the abandoned attempt is cancelled after (it may
        // still be under way when the request completes).
        await Signal.WaitAsync(locks.Cancelled.Task, "the abandoned lock attempt's cancellation");
    }

    [Fact]
    public async Task Refresh_LockReleaseSlow_TheWaitersHaveTheTokenBeforeTheLockIsReleased()
    {
        var locks = new SlowReleaseLock();
        await using var harness = new AtlassianHarness(services: services => services.AddSingleton<IDistributedLock>(locks));
        var (_, client) = await ConnectedWithExpiredTokenAsync(harness);

        // The release (two Redis round trips: compare-and-delete, publish) is not the waiters' business.
        var calls = Enumerable.Range(0, 20).Select(_ => client.GetMyselfAsync()).ToArray();
        await Signal.WaitAsync(locks.Release.Reached, "the refresh's release of its lock");
        var users = await Signal.WaitAsync(Task.WhenAll(calls), "the requests, while the lock is still being released");

        Assert.All(users, u => Assert.Equal(harness.Fake.ConsentingAccountId, u.AccountId));
        Assert.Equal(1, harness.Fake.RefreshCalls);
        Assert.False(locks.Released.IsCompleted);
        locks.Release.Release();
        await Signal.WaitAsync(locks.Released, "the lock's release once let go");
    }

    [Fact]
    public async Task Refresh_TokenCachedWhileTheLockAttemptIsUnanswered_TheWaitersHaveItBeforeTheAttemptEnds()
    {
        // A Redis SET NX is awaited to its answer (cancelling it could leave a lock taken), and a
        // lock it took is then released: two more round trips. The waiters need neither.
        var locks = new UnansweredAttemptLock();
        await using var harness = new AtlassianHarness(services: services => services.AddSingleton<IDistributedLock>(locks));
        var (jira, client) = await ConnectedWithExpiredTokenAsync(harness);

        var calls = Enumerable.Range(0, 20).Select(_ => client.GetMyselfAsync()).ToArray();
        await Signal.WaitAsync(locks.Attempt.Reached, "the refresh's attempt on the lock");
        await Signal.WaitAsync(harness.Time.TimersCreated(1, RefreshCoordinator.LockWaitPollInterval), "the waiter's first look at the shared cache");
        var accessToken = await RefreshAsAnotherProcessAsync(harness, jira);
        harness.Time.Advance(RefreshCoordinator.LockWaitPollInterval);

        var users = await Signal.WaitAsync(Task.WhenAll(calls), "the requests, while the lock attempt is still unanswered");

        Assert.All(users, u => Assert.Equal(harness.Fake.ConsentingAccountId, u.AccountId));
        Assert.Equal(1, harness.Fake.RefreshCalls); // the other process's: this one spent nothing
        Assert.Equal($"Bearer {accessToken}", harness.Fake.LastApiRequest!.Headers["Authorization"]);
        Assert.False(locks.Released.IsCompleted);

        // The attempt's answer comes: it took the lock (the other process had let it go), which
        // the abandoned attempt releases, after the waiters.
        locks.Attempt.Release();
        await Signal.WaitAsync(locks.Released, "the release of the lock the abandoned attempt took");
    }

    [Fact]
    public async Task Refresh_GuessedLockNotTheGrants_TokenCachedWhileItReadTheAccount_ServedWithoutMovingToTheOwnersLock()
    {
        // A process that has not read the account yet takes its own record's lock; the read
        // under it names the grant's owner, whose lock another process holds while it
        // refreshes. If that process cached its token meanwhile, leaving this lock and waiting
        // on the owner's would only delay the callers.
        var locks = new RecordingLock();
        await using var harness = new AtlassianHarness(services: services =>
        {
            services.AddSingleton(sp => new CountingIntegrationStore(new Scoutflo.Http.Integrations.Storage.InMemory.InMemoryIntegrationStore(sp.GetRequiredService<TimeProvider>())));
            services.AddSingleton<IIntegrationStore>(sp => sp.GetRequiredService<CountingIntegrationStore>());
            services.AddSingleton<IDistributedLock>(locks);
        });
        var jira = await harness.InstallAsync(IntegrationProviders.Jira);
        var confluence = await harness.InstallAsync(IntegrationProviders.Confluence);
        Assert.True(string.CompareOrdinal(jira.Id, confluence.Id) < 0, "Jira, installed first, owns the grant");
        var client = harness.Confluence(confluence.Id);
        await client.GetSpacesAsync();
        harness.Fake.ExpireAccessTokens();
        harness.Fake.ResetCounters();

        var accountRead = harness.Services.GetRequiredService<CountingIntegrationStore>().HoldNextAccountRead();
        var call = client.GetSpacesAsync();
        await Signal.WaitAsync(accountRead.Reached, "the read of the account under the guessed lock");
        var accessToken = await RefreshAsAnotherProcessAsync(harness, confluence);
        accountRead.Release();
        await Signal.WaitAsync(call, "the request, served by the other process's refresh");

        Assert.Equal(1, harness.Fake.RefreshCalls); // the other process's: this one spent nothing
        Assert.Equal($"Bearer {accessToken}", harness.Fake.LastApiRequest!.Headers["Authorization"]);
        Assert.Equal([$"integration:confluence:{confluence.Id}:app_user:{confluence.AccountId}:refresh_lock"], locks.Acquired);
    }

    /// <summary>A Jira connection that has made one call, whose access token the fake has since expired.</summary>
    private static async Task<(Integration Jira, JiraClient Client)> ConnectedWithExpiredTokenAsync(AtlassianHarness harness)
    {
        var jira = await harness.InstallAsync();
        var client = harness.Jira(jira.Id);
        await client.GetMyselfAsync();
        harness.Fake.ExpireAccessTokens();
        harness.Fake.ResetCounters();
        return (jira, client);
    }

    /// <summary>The other process: spends the refresh token, stores the rotation, caches the access token.</summary>
    private static async Task<string> RefreshAsAnotherProcessAsync(AtlassianHarness harness, Integration record)
    {
        var stored = (await harness.Store.GetAsync(record.Id))!;
        var (accessToken, refreshToken) = await RefreshAtTheFakeAsync(harness, stored.GetCredential(IntegrationCredentialKeys.RefreshToken)!);
        await harness.Store.UpdateAsync(stored with
        {
            Credentials = new Dictionary<string, string>(stored.Credentials)
            {
                [IntegrationCredentialKeys.AccessToken] = accessToken,
                [IntegrationCredentialKeys.RefreshToken] = refreshToken,
                [IntegrationCredentialKeys.ExpiresAt] = harness.Time.GetUtcNow().AddHours(1).ToString("O"),
            },
        }, stored.Version);
        await harness.Cache.SetAsync($"integration:{record.Provider}:{record.Id}:app_user:{record.AccountId}:access_token", accessToken, TimeSpan.FromHours(1));
        return accessToken;
    }

    private static async Task<(string AccessToken, string RefreshToken)> RefreshAtTheFakeAsync(AtlassianHarness harness, string refreshToken)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(harness.Fake.TokenEndpoint, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = harness.Fake.ClientId,
            ["client_secret"] = harness.Fake.ClientSecret,
            ["refresh_token"] = refreshToken,
        });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("access_token").GetString()!, body.GetProperty("refresh_token").GetString()!);
    }

    /// <summary>The in-memory lock, whose handles hold their release until the test lets it go.</summary>
    private sealed class SlowReleaseLock : IDistributedLock
    {
        private readonly IDistributedLock _inner = new Scoutflo.Http.Integrations.Storage.InMemory.InMemoryDistributedLock();
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Hold Release { get; } = new();

        public Task Released => _released.Task;

        public async ValueTask<IDistributedLockHandle?> TryAcquireAsync(string key, TimeSpan lease, TimeSpan wait, CancellationToken cancellationToken = default) =>
            await _inner.TryAcquireAsync(key, lease, wait, cancellationToken) is { } handle ? new SlowHandle(handle, this) : null;

        private sealed class SlowHandle(IDistributedLockHandle inner, SlowReleaseLock owner) : IDistributedLockHandle
        {
            public string Key => inner.Key;

            public ValueTask<bool> TryExtendAsync(TimeSpan lease, CancellationToken cancellationToken = default) => inner.TryExtendAsync(lease, cancellationToken);

            public async ValueTask DisposeAsync()
            {
                await owner.Release.WaitAsync();
                await inner.DisposeAsync();
                owner._released.TrySetResult();
            }
        }
    }

    /// <summary>
    /// The in-memory lock behind an attempt whose answer is in flight until the test lets it
    /// come, whatever the cancellation (as a Redis SET NX once sent); tells when a handle it gave is released.
    /// </summary>
    private sealed class UnansweredAttemptLock : IDistributedLock
    {
        private readonly IDistributedLock _inner = new Scoutflo.Http.Integrations.Storage.InMemory.InMemoryDistributedLock();
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Hold Attempt { get; } = new();

        public Task Released => _released.Task;

        public async ValueTask<IDistributedLockHandle?> TryAcquireAsync(string key, TimeSpan lease, TimeSpan wait, CancellationToken cancellationToken = default)
        {
            await Attempt.WaitAsync();
            return await _inner.TryAcquireAsync(key, lease, TimeSpan.Zero) is { } handle ? new ReportedHandle(handle, _released) : null;
        }

        private sealed class ReportedHandle(IDistributedLockHandle inner, TaskCompletionSource released) : IDistributedLockHandle
        {
            public string Key => inner.Key;

            public ValueTask<bool> TryExtendAsync(TimeSpan lease, CancellationToken cancellationToken = default) => inner.TryExtendAsync(lease, cancellationToken);

            public async ValueTask DisposeAsync()
            {
                await inner.DisposeAsync();
                released.TrySetResult();
            }
        }
    }

    /// <summary>Another process holds the lock for as long as the test runs: an attempt waits until it is cancelled.</summary>
    private sealed class NeverGrantedLock : IDistributedLock
    {
        public TaskCompletionSource Attempted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<IDistributedLockHandle?> TryAcquireAsync(string key, TimeSpan lease, TimeSpan wait, CancellationToken cancellationToken = default)
        {
            Attempted.TrySetResult();
            try
            {
                // Never completes on its own: only the cancellation ends it (no timer, no clock).
                await new TaskCompletionSource().Task.WaitAsync(cancellationToken);
            }
            finally
            {
                Cancelled.TrySetResult();
            }

            return null;
        }
    }
}
