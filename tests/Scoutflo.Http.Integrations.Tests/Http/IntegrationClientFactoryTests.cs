using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Http;

/// <summary>IIntegrationClientFactory: clients bound to one integration each, in one container.</summary>
public sealed class IntegrationClientFactoryTests : IAsyncDisposable
{
    private const string IdA = "66aa000000000000000000a1";
    private const string IdB = "66aa000000000000000000b2";

    private readonly TestHost _host = TestHost.Create();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private IIntegrationClientFactory Factory => _host.Services.GetRequiredService<IIntegrationClientFactory>();

    [Fact]
    public async Task CreateClient_Id_SendsWithThatIntegrationsCredentialAndBase()
    {
        await _host.AddAsync(Records.CustomBearer("token-A-SECRET", "https://a.example.test/api") with { Id = IdA });
        using var client = Factory.CreateClient(IdA);

        (await client.GetAsync("items?page=1")).EnsureSuccessStatusCode();

        var sent = _host.Network.Single();
        Assert.Equal("https://a.example.test/api/items?page=1", sent.Uri.AbsoluteUri);
        Assert.Equal(["Bearer token-A-SECRET"], sent.Header("Authorization"));
    }

    [Fact]
    public async Task CreateClientOfJiraClient_Id_CallsJiraOnThatIntegration()
    {
        await _host.AddAsync(Records.JiraBasic("https://acme.atlassian.net") with { Id = IdA });
        var jira = Factory.CreateClient<JiraClient>(IdA);

        await jira.HttpClient.GetAsync("rest/api/3/project");

        var sent = _host.Network.Single();
        Assert.Equal("https://acme.atlassian.net/rest/api/3/project", sent.Uri.AbsoluteUri);
        Assert.Equal(["Basic " + Records.BasicParameter], sent.Header("Authorization"));
    }

    [Fact]
    public async Task CreateClient_TwoIdsInOneContainer_NeverMixCredentials()
    {
        await _host.AddAsync(Records.CustomBearer("token-A-SECRET", "https://a.example.test") with { Id = IdA });
        await _host.AddAsync(Records.CustomBearer("token-B-SECRET", "https://b.example.test") with { Id = IdB });
        using var clientA = Factory.CreateClient(IdA);
        using var clientB = Factory.CreateClient(IdB);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? clientA : clientB).GetAsync($"items/{i}")));

        Assert.Equal(10, _host.Network.Sent.Count);
        Assert.All(_host.Network.Sent, sent =>
        {
            var expected = sent.Uri.Host == "a.example.test" ? "Bearer token-A-SECRET" : "Bearer token-B-SECRET";
            Assert.Equal([expected], sent.Header("Authorization"));
        });
        Assert.Equal(5, _host.Network.Sent.Count(s => s.Uri.Host == "a.example.test"));
    }

    [Fact]
    public async Task CreateClient_RequestNamesAnotherId_RequestWins()
    {
        await _host.AddAsync(Records.CustomBearer("token-A-SECRET", "https://a.example.test") with { Id = IdA });
        await _host.AddAsync(Records.CustomBearer("token-B-SECRET", "https://b.example.test") with { Id = IdB });
        using var client = Factory.CreateClient(IdA);
        using var request = new HttpRequestMessage(HttpMethod.Get, "items").SetIntegrationId(IdB);

        (await client.SendAsync(request)).EnsureSuccessStatusCode();

        Assert.Equal(["Bearer token-B-SECRET"], _host.Network.Single().Header("Authorization"));
    }

    [Fact]
    public async Task CreateClient_DisposedClient_LeavesThePooledPipelineUsable()
    {
        await _host.AddAsync(Records.CustomBearer("token-A-SECRET", "https://a.example.test") with { Id = IdA });
        using (var first = Factory.CreateClient(IdA))
        {
            (await first.GetAsync("one")).EnsureSuccessStatusCode();
        }

        using var second = Factory.CreateClient(IdA);
        (await second.GetAsync("two")).EnsureSuccessStatusCode();

        Assert.Equal(2, _host.Network.MatchCount);
    }

    [Fact]
    public async Task CreateClient_UnknownId_ThrowsNotFoundAndSendsNothing()
    {
        using var client = Factory.CreateClient("66aa00000000000000000404");

        var error = await Assert.ThrowsAsync<IntegrationNotFoundException>(() => client.GetAsync("items"));

        Assert.Equal(IntegrationErrorCodes.NotFound, error.ErrorCode);
        _host.Network.AssertNothingSent();
    }
}
