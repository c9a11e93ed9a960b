using Microsoft.Extensions.DependencyInjection;

namespace Scoutflo.Http.Integrations.Tests.Install;

/// <summary>
/// <see cref="IIntegrationInstallService"/> is what an application's own code depends on, so that
/// its unit tests replace the install flow with a fake of their own.
/// </summary>
public sealed class IIntegrationInstallServiceTests
{
    private static readonly AtlassianSite SiteA = new("cloud-a", "Acme", new Uri("https://acme.atlassian.net"), ["read:jira-work"], null);
    private static readonly AtlassianSite SiteB = new("cloud-b", "Beta", new Uri("https://beta.atlassian.net"), ["read:jira-work"], null);

    [Fact]
    public async Task AddScoutfloIntegrations_InterfaceAndClass_AreOneInstance()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.Same(provider.GetRequiredService<IntegrationInstallService>(), provider.GetRequiredService<IIntegrationInstallService>());
    }

    [Fact]
    public async Task ConsumerCallback_InstallSaved_RedirectsToTheStoredIntegration()
    {
        var install = new FakeInstallService
        {
            Callback = _ => Task.FromResult(new Integration { Id = "66aa000000000000000000d1", Provider = IntegrationProviders.Jira, AccountId = "acct-1", AuthType = IntegrationAuthTypes.OAuth2 }),
        };

        var page = await new ConsumerCallbackEndpoint(install).HandleAsync("code-1", "state-1");

        Assert.Equal("redirect:/integrations/66aa000000000000000000d1", page);
        Assert.Equal(("code-1", "state-1"), install.LastCallback);
    }

    [Fact]
    public async Task ConsumerCallback_SeveralSites_ShowsTheChoiceWithTheHandle()
    {
        var install = new FakeInstallService
        {
            Callback = _ => throw new AtlassianSiteSelectionRequiredException(IntegrationProviders.Jira, [SiteA, SiteB], "handle-1", DateTimeOffset.UnixEpoch),
        };

        var page = await new ConsumerCallbackEndpoint(install).HandleAsync("code-2", "state-2");

        Assert.Equal("choose:handle-1:cloud-a,cloud-b", page);
    }

    // What an application writes: its endpoint depends on the interface, not on the library's class.
    private sealed class ConsumerCallbackEndpoint(IIntegrationInstallService install)
    {
        public async Task<string> HandleAsync(string code, string state)
        {
            try
            {
                var stored = await install.HandleCallbackAndSaveAsync(null, new OAuthCallback { Code = code, State = state });
                return $"redirect:/integrations/{stored.Id}";
            }
            catch (AtlassianSiteSelectionRequiredException choose)
            {
                return $"choose:{choose.SelectionHandle}:{string.Join(",", choose.Sites.Select(s => s.CloudId))}";
            }
        }
    }

    private sealed class FakeInstallService : IIntegrationInstallService
    {
        public required Func<OAuthCallback, Task<Integration>> Callback { get; init; }

        public (string? Code, string? State) LastCallback { get; private set; }

        public Task<Integration> HandleCallbackAndSaveAsync(string? provider, OAuthCallback callback, CancellationToken cancellationToken = default)
        {
            LastCallback = (callback.Code, callback.State);
            return Callback(callback);
        }

        public Task<Uri> BuildInstallUrlAsync(InstallRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<InstallResult> HandleCallbackAsync(OAuthCallback callback, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<InstallResult> HandleCallbackAsync(string? provider, OAuthCallback callback, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<InstallResult> CompleteSiteSelectionAsync(string selectionHandle, string cloudId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Integration> SaveAsync(InstallResult result, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
