using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Storage.InMemory;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Install;

/// <summary>
/// The account of an install comes from the application's identity resolver, given the
/// signed-in user, not from the caller: a request naming another account is refused before
/// any URL is built or any state stored.
/// </summary>
public sealed class IntegrationIdentityResolverTests
{
    private const string TrustedAccount = "acct-of-user-1";

    [Fact]
    public async Task BuildInstallUrl_ExplicitAccountOtherThanTheResolvers_IsRefusedBeforeAnyLookupUrlOrState()
    {
        await using var setup = new Setup(withResolver: true);

        var error = await Assert.ThrowsAsync<IntegrationException>(() => setup.Harness.Install.BuildInstallUrlAsync(
            new InstallRequest { Provider = IntegrationProviders.Jira, AccountId = "acct-of-someone-else", UserId = "user-1" }));

        Assert.Equal(IntegrationErrorCodes.AccountMismatch, error.ErrorCode);
        Assert.DoesNotContain("acct-of-someone-else", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, setup.OneTime.Adds);
        Assert.Equal(0, setup.Store.Finds);
        Assert.Equal(["user-1"], setup.AskedUsers);
    }

    [Fact]
    public async Task Install_WithResolver_TheResolversAccountAndCreatorLandInTheSiblingLookupAndTheRecord()
    {
        await using var setup = new Setup(withResolver: true);
        await setup.Harness.Connections.CreateConnectionAsync(AtlassianSibling(TrustedAccount));
        await setup.Harness.Connections.CreateConnectionAsync(AtlassianSibling("acct-other"));

        // No account in the request: the signed-in user decides it.
        var url = await setup.Harness.Install.BuildInstallUrlAsync(new InstallRequest { Provider = IntegrationProviders.Jira, UserId = "user-1" });
        var callback = await setup.Harness.Fake.AuthorizeAsync(url);
        var saved = await setup.Harness.Install.HandleCallbackAndSaveAsync(IntegrationProviders.Jira, OAuthCallback.FromQueryString(callback.Query));

        // The sibling lookup (and the save's look for an earlier install) searched the resolver's account only.
        Assert.NotEmpty(setup.Store.FoundAccounts);
        Assert.All(setup.Store.FoundAccounts, account => Assert.Equal(TrustedAccount, account));
        Assert.Contains("read:page:confluence", OAuthQuery(url)["scope"].Split(' '));
        Assert.Equal(TrustedAccount, saved.AccountId);
        Assert.Equal("creator-user-1", saved.CreatedBy);
        var stored = await setup.Harness.Store.GetAsync(saved.Id);
        Assert.Equal(TrustedAccount, stored!.AccountId);
        Assert.Equal("creator-user-1", stored.CreatedBy);
    }

    [Fact]
    public async Task BuildInstallUrl_ExplicitAccountEqualToTheResolvers_IsAccepted()
    {
        await using var setup = new Setup(withResolver: true);

        var url = await setup.Harness.Install.BuildInstallUrlAsync(new InstallRequest { Provider = IntegrationProviders.Jira, AccountId = TrustedAccount, UserId = "user-1" });

        Assert.NotNull(url);
        Assert.Equal(1, setup.OneTime.Adds);
        Assert.Equal([TrustedAccount], setup.Store.FoundAccounts);
    }

    [Fact]
    public async Task BuildInstallUrl_ResolverWithoutAUser_IsRefusedBeforeAnyState()
    {
        await using var setup = new Setup(withResolver: true);

        await Assert.ThrowsAsync<ArgumentException>(() => setup.Harness.Install.BuildInstallUrlAsync(
            new InstallRequest { Provider = IntegrationProviders.Jira, AccountId = TrustedAccount }));

        Assert.Equal(0, setup.OneTime.Adds);
        Assert.Empty(setup.AskedUsers);
    }

    [Fact]
    public async Task Install_WithoutResolver_TakesTheRequestsAccountAndUserAsBefore()
    {
        await using var setup = new Setup(withResolver: false);

        var url = await setup.Harness.Install.BuildInstallUrlAsync(new InstallRequest { Provider = IntegrationProviders.Jira, AccountId = "acct-1", UserId = "user-1" });
        var callback = await setup.Harness.Fake.AuthorizeAsync(url);
        var saved = await setup.Harness.Install.HandleCallbackAndSaveAsync(IntegrationProviders.Jira, OAuthCallback.FromQueryString(callback.Query));

        Assert.Equal("acct-1", saved.AccountId);
        Assert.Equal("user-1", saved.CreatedBy);
        Assert.NotEmpty(setup.Store.FoundAccounts);
        Assert.All(setup.Store.FoundAccounts, account => Assert.Equal("acct-1", account));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => setup.Harness.Install.BuildInstallUrlAsync(new InstallRequest { Provider = IntegrationProviders.Jira, UserId = "user-1" }));
    }

    [Fact]
    public async Task AddIdentityResolver_Type_IsAskedWithTheUserAndProvider()
    {
        await using var harness = new AtlassianHarness(services: s => s.AddScoutfloIntegrations().AddIdentityResolver<FixedResolver>());

        var url = await harness.Install.BuildInstallUrlAsync(new InstallRequest { Provider = IntegrationProviders.Confluence, UserId = "user-9" });
        var result = await harness.Install.HandleCallbackAsync(IntegrationProviders.Confluence, OAuthCallback.FromQueryString((await harness.Fake.AuthorizeAsync(url)).Query));

        Assert.Equal("acct-fixed:user-9:confluence", result.Integration.AccountId);
        Assert.Equal("user-9", result.Integration.CreatedBy);
    }

    private static Integration AtlassianSibling(string accountId) => new()
    {
        Provider = IntegrationProviders.Confluence,
        AccountId = accountId,
        AuthType = IntegrationAuthTypes.OAuth2,
        Credentials = new Dictionary<string, string> { ["access_token"] = "at", ["refresh_token"] = "rt" },
        Metadata = new Dictionary<string, string> { ["cloud_id"] = "c0ffee00-0000-4000-8000-000000000001", ["site_url"] = "https://scoutflo.atlassian.net" },
        Scopes = ["read:page:confluence"],
    };

    private static Dictionary<string, string> OAuthQuery(Uri url) =>
        url.Query.TrimStart('?').Split('&')
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1].Replace('+', ' ')), StringComparer.Ordinal);

    private sealed class FixedResolver : IIntegrationIdentityResolver
    {
        public ValueTask<IntegrationIdentity> ResolveAsync(IntegrationIdentityContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new IntegrationIdentity { AccountId = $"acct-fixed:{context.UserId}:{context.Provider}" });
    }

    /// <summary>The Atlassian harness with a counting store, a counting one-time store and (optionally) a resolver.</summary>
    private sealed class Setup : IAsyncDisposable
    {
        private readonly List<string> _askedUsers = [];

        public Setup(bool withResolver)
        {
            Harness = new AtlassianHarness(services: s =>
            {
                s.AddSingleton<IIntegrationStore>(sp => Store = new CountingIntegrationStore(new InMemoryIntegrationStore(sp.GetRequiredService<TimeProvider>())));
                s.AddSingleton<IOneTimeStore>(sp => OneTime = new CountingOneTimeStore(new InMemoryOneTimeStore(sp.GetRequiredService<TimeProvider>())));
                if (withResolver)
                {
                    s.AddScoutfloIntegrations().AddIdentityResolver((context, _) =>
                    {
                        lock (_askedUsers)
                        {
                            _askedUsers.Add(context.UserId);
                        }

                        return ValueTask.FromResult(new IntegrationIdentity { AccountId = TrustedAccount, CreatedBy = "creator-" + context.UserId });
                    });
                }
            });
            _ = Harness.Store;
            _ = Harness.Services.GetRequiredService<IOneTimeStore>();
        }

        public AtlassianHarness Harness { get; }

        public CountingIntegrationStore Store { get; private set; } = null!;

        public CountingOneTimeStore OneTime { get; private set; } = null!;

        public IReadOnlyList<string> AskedUsers
        {
            get
            {
                lock (_askedUsers)
                {
                    return [.. _askedUsers];
                }
            }
        }

        public ValueTask DisposeAsync() => Harness.DisposeAsync();
    }

    private sealed class CountingOneTimeStore(IOneTimeStore inner) : IOneTimeStore
    {
        private int _adds;

        public int Adds => Volatile.Read(ref _adds);

        public ValueTask<bool> TryAddAsync(string key, string value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _adds);
            return inner.TryAddAsync(key, value, timeToLive, cancellationToken);
        }

        public ValueTask<string?> PeekAsync(string key, CancellationToken cancellationToken = default) => inner.PeekAsync(key, cancellationToken);

        public ValueTask<string?> TakeAsync(string key, CancellationToken cancellationToken = default) => inner.TakeAsync(key, cancellationToken);
    }
}
