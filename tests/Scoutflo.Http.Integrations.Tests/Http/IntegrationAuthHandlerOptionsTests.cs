using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Http;

/// <summary>
/// <see cref="IntegrationAuthHandlerOptions.DefaultRequestOptions"/>: the typed per-client bag a
/// provider's per-client choice travels in (Slack's token kind is one).
/// </summary>
public sealed class IntegrationAuthHandlerOptionsTests : IAsyncDisposable
{
    private static readonly HttpRequestOptionsKey<string> Flavour = new("Tests.Flavour");

    private readonly TestHost _host = TestHost.CreateCoreOnly();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task SendAsync_ClientDefault_ReachesRequestsThatDoNotChooseAndYieldsToThoseThatDo()
    {
        var id = await _host.AddAsync(Records.CustomBearer());
        var options = new IntegrationAuthHandlerOptions { IntegrationId = id };
        options.DefaultRequestOptions.Set(Flavour, "client");
        var seen = new List<string?>();
        using var client = new HttpClient(new IntegrationAuthHandler(_host.Connections, options) { InnerHandler = new Capture(seen, Flavour) })
        {
            BaseAddress = ResolvedConnection.PlaceholderBaseAddress,
        };

        using var plain = new HttpRequestMessage(HttpMethod.Get, "items");
        using var chosen = new HttpRequestMessage(HttpMethod.Get, "items");
        chosen.Options.Set(Flavour, "request");
        (await client.SendAsync(plain)).Dispose();
        (await client.SendAsync(chosen)).Dispose();

        Assert.Equal(["client", "request"], seen);
    }

    [Fact]
    public void SlackTokenKind_SetAndReset_LivesInTheBagOnlyWhenNotTheDefault()
    {
        var options = new IntegrationAuthHandlerOptions();

        options.SlackTokenKind = SlackTokenKind.User;
        var afterUser = options.DefaultRequestOptions.TryGetValue(IntegrationRequestOptions.SlackTokenKind, out var stored) ? stored : (SlackTokenKind?)null;
        options.SlackTokenKind = SlackTokenKind.Bot;

        Assert.Equal(SlackTokenKind.User, afterUser);
        Assert.Equal(SlackTokenKind.Bot, options.SlackTokenKind);
        Assert.Empty(options.DefaultRequestOptions);
    }

    [Fact]
    public void SlackTokenKind_InAnObjectInitializer_IsTheClientsChoice()
    {
        var options = new IntegrationAuthHandlerOptions { IntegrationId = "66aa000000000000000000e1", SlackTokenKind = SlackTokenKind.User };

        Assert.Equal(SlackTokenKind.User, options.SlackTokenKind);
        Assert.Single(options.DefaultRequestOptions);
    }

    private sealed class Capture(List<string?> seen, HttpRequestOptionsKey<string> key) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add(request.Options.TryGetValue(key, out var value) ? value : null);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }
}
