using System.Globalization;
using System.Net;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Scoutflo.Http.Integrations.Fakes.Internal;

/// <summary>
/// A WireMock.Net server on a free loopback port whose every request goes to one handler:
/// the fakes route by themselves so that state, not stub order, decides each answer.
/// </summary>
internal sealed class FakeServer : IDisposable
{
    private readonly WireMockServer _server;
    private readonly HttpClient _browser;

    public FakeServer(Func<IRequestMessage, Task<IResponseMessage>> handler, int? port)
    {
        _server = WireMockServer.Start(new WireMockServerSettings
        {
            // Loopback only (WireMock's default binds every interface): a sandbox must not be reachable
            // from the network. Port 0 lets WireMock pick a free port and report it in Url.
            Urls = [$"http://127.0.0.1:{(port ?? 0).ToString(CultureInfo.InvariantCulture)}"],
            Logger = new WireMockNullLogger(),
            StartAdminInterface = false,
            // Bodies can be megabytes (downloads); the fakes keep their own inspection state.
            MaxRequestLogCount = 0,
        });
        _server
            .Given(Request.Create().UsingAnyMethod())
            .RespondWith(Response.Create().WithCallback(handler));

        BaseUrl = new Uri(_server.Url!.TrimEnd('/') + "/");
        _browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = BaseUrl };
    }

    /// <summary>The server's root, with a trailing slash.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Plays the user's browser on an authorize URL: returns the redirect it answers with.</summary>
    public async Task<Uri> FollowAuthorizeAsync(Uri authorizeUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorizeUrl);
        using var response = await _browser.GetAsync(authorizeUrl, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Found || response.Headers.Location is null)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException(
                $"The authorize endpoint answered {(int)response.StatusCode} instead of a redirect: {body}");
        }

        return response.Headers.Location.IsAbsoluteUri
            ? response.Headers.Location
            : new Uri(authorizeUrl, response.Headers.Location);
    }

    public void Dispose()
    {
        _browser.Dispose();
        _server.Stop();
        _server.Dispose();
    }
}
