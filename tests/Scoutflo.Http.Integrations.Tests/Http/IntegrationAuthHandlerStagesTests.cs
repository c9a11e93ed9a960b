using System.Net;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Http;

/// <summary>
/// The handler runs without awaiting while each step completes at once, and continues
/// asynchronously from whichever step does not: the connection lookup, the credential, the
/// send, the refusal check. Each entry point must behave as the one async path did: same
/// request on the wire, same refresh-and-resend-once, failures carried by the returned task.
/// </summary>
public sealed class IntegrationAuthHandlerStagesTests
{
    private const string Id = StubConnectionManager.JiraId;

    public static TheoryData<bool, bool, bool> Stages { get; } = new()
    {
        // resolve later, apply later, send later
        { false, false, false },
        { true, false, false },
        { false, true, false },
        { false, false, true },
        { true, true, true },
    };

    [Theory]
    [MemberData(nameof(Stages))]
    public async Task SendAsync_AcceptedAtOnce_OneSendWithTheCredentialUnderTheBase(bool resolveLater, bool applyLater, bool sendLater)
    {
        var credentials = new RefreshingCredential(applyLater);
        var api = new Api(sendLater, HttpStatusCode.OK);
        using var invoker = Invoker(credentials, api, resolveLater);

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://integration.invalid/rest/api/3/myself"), CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(api.Sent);
        Assert.Equal("https://api.atlassian.com/ex/jira/abc-123/rest/api/3/myself", sent.Uri);
        Assert.Equal("Bearer token-1", sent.Authorization);
        Assert.Equal(1, credentials.Checks);
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public async Task SendAsync_RefusedOnce_RefreshesAndResendsOnceWithTheNewCredential(bool resolveLater, bool applyLater, bool sendLater)
    {
        var credentials = new RefreshingCredential(applyLater);
        var api = new Api(sendLater, HttpStatusCode.Unauthorized, HttpStatusCode.OK);
        using var invoker = Invoker(credentials, api, resolveLater);

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://integration.invalid/rest/api/3/myself"), CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], api.Sent.Select(s => s.Authorization));
        Assert.Equal(1, credentials.Refreshes);
    }

    [Fact]
    public async Task SendAsync_RefusedTwice_SecondRefusalGoesBackWithoutAThirdSend()
    {
        var credentials = new RefreshingCredential(applyLater: false);
        var api = new Api(sendLater: false, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.OK);
        using var invoker = Invoker(credentials, api, resolveLater: false);

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "rest/api/3/myself"), CancellationToken.None);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(2, api.Sent.Count);
    }

    [Fact]
    public void SendAsync_NoIntegrationId_FailsInTheReturnedTaskNotAtTheCall()
    {
        var handler = new IntegrationAuthHandler(new StubConnectionManager()) { InnerHandler = new Api(sendLater: false, HttpStatusCode.OK) };
        using var invoker = new HttpMessageInvoker(handler);

        var sending = invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://integration.invalid/x"), CancellationToken.None);

        Assert.True(sending.IsFaulted);
        var error = Assert.IsType<IntegrationException>(sending.Exception!.InnerException);
        Assert.Equal(IntegrationErrorCodes.IdMissing, error.ErrorCode);
    }

    [Fact]
    public void SendAsync_HostRefused_FailsInTheReturnedTaskAndSendsNothing()
    {
        var api = new Api(sendLater: false, HttpStatusCode.OK);
        using var invoker = Invoker(new RefreshingCredential(applyLater: false), api, resolveLater: false);

        var sending = invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://evil.test/x"), CancellationToken.None);

        Assert.True(sending.IsFaulted);
        Assert.IsType<IntegrationHostNotAllowedException>(sending.Exception!.InnerException);
        Assert.Empty(api.Sent);
    }

    [Fact]
    public async Task SendAsync_RefusalCheckThrowsAtOnce_ResponseDisposedAndErrorInTheTask()
    {
        var credentials = new RefreshingCredential(applyLater: false) { ThrowOnCheck = true };
        var api = new Api(sendLater: false, HttpStatusCode.OK);
        using var invoker = Invoker(credentials, api, resolveLater: false);

        var sending = invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "rest/api/3/myself"), CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => sending);
        Assert.True(api.Responses.Single().Disposed);
    }

    private static HttpMessageInvoker Invoker(RefreshingCredential credentials, Api api, bool resolveLater)
    {
        var connection = new ResolvedConnection(
            new Integration { Id = Id, Provider = IntegrationProviders.Jira, AccountId = Records.AccountId, AuthType = IntegrationAuthTypes.OAuth2 },
            new Uri(StubConnectionManager.JiraBase),
            new Uri(StubConnectionManager.Site),
            credentials);
        IConnectionManager connections = resolveLater ? new LaterConnections(connection) : new StubConnectionManager(connection);
        var handler = new IntegrationAuthHandler(connections, new IntegrationAuthHandlerOptions { IntegrationId = Id }) { InnerHandler = api };
        return new HttpMessageInvoker(handler);
    }

    /// <summary>A refreshable credential: token-1, then token-2 after a refusal (a 401); optionally applied asynchronously.</summary>
    private sealed class RefreshingCredential(bool applyLater) : ICredentialApplier
    {
        private int _version = 1;

        public bool CanRefresh => true;

        public bool ThrowOnCheck { get; init; }

        public int Checks { get; private set; }

        public int Refreshes { get; private set; }

        public ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!applyLater)
            {
                Attach(request);
                return ValueTask.CompletedTask;
            }

            return AttachLaterAsync(request);
        }

        public ValueTask<bool> TryRefreshAsync(HttpRequestMessage failedRequest, HttpResponseMessage response, CancellationToken cancellationToken)
        {
            Checks++;
            if (ThrowOnCheck)
            {
                throw new InvalidOperationException("check failed");
            }

            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                return ValueTask.FromResult(false);
            }

            Refreshes++;
            _version++;
            return ValueTask.FromResult(true);
        }

        private async ValueTask AttachLaterAsync(HttpRequestMessage request)
        {
            await Task.Yield();
            Attach(request);
        }

        private void Attach(HttpRequestMessage request)
        {
            request.Headers.Remove("Authorization");
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer token-{_version}");
        }
    }

    /// <summary>Answers with the given statuses in turn, at once or after a yield; records what was sent.</summary>
    private sealed class Api(bool sendLater, params HttpStatusCode[] statuses) : HttpMessageHandler
    {
        public List<(string Uri, string? Authorization)> Sent { get; } = [];

        public List<TrackedResponse> Responses { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Sent.Add((request.RequestUri!.AbsoluteUri, request.Headers.Authorization?.ToString()));
            var response = new TrackedResponse(statuses[Math.Min(Sent.Count - 1, statuses.Length - 1)]);
            Responses.Add(response);
            return sendLater ? LaterAsync(response) : Task.FromResult<HttpResponseMessage>(response);
        }

        private static async Task<HttpResponseMessage> LaterAsync(HttpResponseMessage response)
        {
            await Task.Yield();
            return response;
        }
    }

    private sealed class TrackedResponse(HttpStatusCode status) : HttpResponseMessage(status)
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    /// <summary>Resolves the one connection after a yield, as a store read would.</summary>
    private sealed class LaterConnections(ResolvedConnection connection) : IConnectionManager
    {
        private readonly StubConnectionManager _inner = new(connection);

        public async ValueTask<ResolvedConnection> ResolveConnectionAsync(string integrationId, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            return await _inner.ResolveConnectionAsync(integrationId, cancellationToken);
        }

        public Task<Integration> CreateConnectionAsync(Integration integration, CancellationToken cancellationToken = default) => _inner.CreateConnectionAsync(integration, cancellationToken);

        public Task<Integration?> GetConnectionAsync(string integrationId, CancellationToken cancellationToken = default) => _inner.GetConnectionAsync(integrationId, cancellationToken);

        public Task<IReadOnlyList<Integration>> ListConnectionsAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default) =>
            _inner.ListConnectionsAsync(accountId, providers, cancellationToken);

        public Task<Integration> UpdateConnectionAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken = default) =>
            _inner.UpdateConnectionAsync(integration, expectedVersion, cancellationToken);

        public Task<bool> DeleteConnectionAsync(string integrationId, CancellationToken cancellationToken = default) => _inner.DeleteConnectionAsync(integrationId, cancellationToken);

        public void Invalidate(string integrationId) => _inner.Invalidate(integrationId);
    }
}
