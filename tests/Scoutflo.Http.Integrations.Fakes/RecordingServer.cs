using System.Text.Json.Nodes;
using Scoutflo.Http.Integrations.Fakes.Internal;
using WireMock;

namespace Scoutflo.Http.Integrations.Fakes;

/// <summary>
/// A second host on its own loopback port, standing for wherever a hijacked or misconfigured
/// endpoint redirects to: it records every request it receives and answers each with a
/// plausible token response, so that a client which followed a redirect there would look as if
/// it succeeded. Tests assert that <see cref="Requests"/> stays empty.
/// </summary>
public sealed class RecordingServer : IDisposable
{
    private readonly FakeServer _server;
    private readonly List<FakeHttpRequest> _requests = [];
    private readonly Lock _gate = new();

    /// <summary>Starts the server on a free loopback port.</summary>
    public RecordingServer() => _server = new FakeServer(HandleAsync, port: null);

    /// <summary>The server root (<c>http://127.0.0.1:port/</c>).</summary>
    public Uri BaseUrl => _server.BaseUrl;

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<FakeHttpRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>A URL on this server.</summary>
    /// <param name="path">The path, e.g. <c>oauth/token</c>.</param>
    public Uri Url(string path) => new(BaseUrl, path);

    /// <summary>Stops the server.</summary>
    public void Dispose() => _server.Dispose();

    private Task<IResponseMessage> HandleAsync(IRequestMessage request)
    {
        lock (_gate)
        {
            _requests.Add(FakeHttp.Record(request));
        }

        // Every token shape the library reads, so that following the redirect "works".
        IResponseMessage response = FakeHttp.Json(200, new JsonObject
        {
            ["ok"] = true,
            ["access_token"] = "stolen-access-token",
            ["token_type"] = "Bearer",
            ["expires_in"] = 3600,
            ["refresh_token"] = "stolen-refresh-token",
            ["token"] = "stolen-access-token",
            ["refreshToken"] = "stolen-refresh-token",
        });
        return Task.FromResult(response);
    }
}
