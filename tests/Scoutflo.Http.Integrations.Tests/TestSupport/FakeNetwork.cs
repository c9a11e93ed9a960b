using System.Collections.Concurrent;
using System.Net;
using RichardSzalay.MockHttp;

namespace Scoutflo.Http.Integrations.Tests.TestSupport;

/// <summary>
/// A RichardSzalay.MockHttp handler that answers every request with 200 and records it. Anything
/// that does not match the catch-all fails loudly, so "nothing was sent" is checkable twice:
/// <see cref="Sent"/> is empty and the catch-all's match count is 0.
/// </summary>
internal sealed class FakeNetwork : IDisposable
{
    private readonly ConcurrentQueue<SentRequest> _sent = new();
    private readonly MockedRequest _any;

    public FakeNetwork()
    {
        Handler.Fallback.Throw(new InvalidOperationException("An unexpected request reached the fake network."));
        _any = Handler.When("*").Respond(request =>
        {
            _sent.Enqueue(SentRequest.Of(request));
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        });
    }

    public MockHttpMessageHandler Handler { get; } = new();

    public IReadOnlyList<SentRequest> Sent => [.. _sent];

    public int MatchCount => Handler.GetMatchCount(_any);

    public SentRequest Single()
    {
        Assert.Equal(1, MatchCount);
        return Assert.Single(Sent);
    }

    public void AssertNothingSent()
    {
        Assert.Equal(0, MatchCount);
        Assert.Empty(Sent);
    }

    public void Dispose() => Handler.Dispose();
}
