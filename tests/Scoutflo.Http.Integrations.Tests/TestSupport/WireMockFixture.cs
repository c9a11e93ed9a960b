using WireMock.Server;

namespace Scoutflo.Http.Integrations.Tests.TestSupport;

/// <summary>One real WireMock server on loopback per test class; each test resets its mappings and log.</summary>
public sealed class WireMockFixture : IDisposable
{
    public WireMockServer Server { get; } = WireMockServer.Start();

    /// <summary>
    /// The server's origin, e.g. <c>http://127.0.0.1:51234</c> (plain http is accepted on loopback).
    /// The IPv4 literal spares each test a slow localhost resolution.
    /// </summary>
    public string Url => (Server.Url ?? throw new InvalidOperationException("WireMock did not report its URL."))
        .Replace("://localhost:", "://127.0.0.1:", StringComparison.Ordinal);

    public WireMockServer Reset()
    {
        Server.Reset();
        return Server;
    }

    public void Dispose() => Server.Stop();
}

/// <summary>The contract test classes share one WireMock server: starting it is the slow part.</summary>
[CollectionDefinition(Name)]
public sealed class WireMockCollection : ICollectionFixture<WireMockFixture>
{
    public const string Name = "WireMock";
}
