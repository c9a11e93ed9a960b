using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;

namespace Scoutflo.Http.Integrations.Load;

/// <summary>The library as a consuming service registers it, pointed at the fake's endpoints.</summary>
internal static class LoadLibrary
{
    public const string AccountId = "load-account";

    /// <summary>Carries each request's index to <see cref="StampHandler"/>.</summary>
    public static readonly HttpRequestOptionsKey<int> RequestIndex = new("load.request_index");

    private static readonly string SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <param name="tokenEndpoint">The fake's token endpoint.</param>
    /// <param name="apiBase">The fake's API base.</param>
    /// <param name="storage">UseRedis / UseMongoDb, or nothing for the in-memory defaults.</param>
    /// <param name="clients">More clients.</param>
    /// <param name="inMemoryApi">Whether the coalescing client's API calls are answered from memory
    /// (only the token endpoint on the network), so that the sends do not compete with the waiters.</param>
    public static ServiceProvider Build(Uri tokenEndpoint, Uri apiBase, Action<IIntegrationsBuilder>? storage = null, Action<IServiceCollection>? clients = null, bool inMemoryApi = false)
    {
        var services = new ServiceCollection();
        services.AddLogging(); // no provider: nothing is written, as in a service that filters these categories out
        var builder = services.AddScoutfloIntegrations(o => o.StateSigningKey = SigningKey)
            .AddAtlassian(o =>
            {
                o.ClientId = FakeAtlassian.ClientId;
                o.ClientSecret = FakeAtlassian.ClientSecret;
                o.RedirectUri = new Uri("https://load.scoutflo.test/integrations/callback");
                o.TokenEndpoint = tokenEndpoint;
                o.ApiBaseUrl = apiBase;
            });
        storage?.Invoke(builder);

        // The coalescing client: the library's handler, then a stamp of when the request left it
        // with its credential (before the API call, whose own time is not the refresh's).
        services.AddHttpClient("coalesce")
            .AddHttpMessageHandler(() => new GateHandler())
            .AddIntegrationAuth()
            .AddHttpMessageHandler(() => new StampHandler())
            .ConfigurePrimaryHttpMessageHandler(() => inMemoryApi ? new InMemoryApi() : new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) });
        clients?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>A Jira record whose access token expired a minute ago; its refresh token is live at the fake.</summary>
    public static Task<Integration> AddExpiredJiraAsync(IServiceProvider services, string refreshToken, string siteUrl = "https://load.atlassian.net") =>
        services.GetRequiredService<IConnectionManager>().CreateConnectionAsync(new Integration
        {
            Provider = IntegrationProviders.Jira,
            AccountId = AccountId,
            AuthType = IntegrationAuthTypes.OAuth2,
            Credentials = new Dictionary<string, string>
            {
                [IntegrationCredentialKeys.AccessToken] = "at-expired",
                [IntegrationCredentialKeys.RefreshToken] = refreshToken,
                [IntegrationCredentialKeys.ExpiresAt] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"),
            },
            Metadata = new Dictionary<string, string>
            {
                [IntegrationMetadataKeys.CloudId] = FakeAtlassian.CloudId,
                [IntegrationMetadataKeys.SiteUrl] = siteUrl,
            },
        });

    /// <summary>One burst: <paramref name="count"/> requests released at once; per request its start, its stamp and its end.</summary>
    public static async Task<Burst> RunBurstAsync(HttpClient client, Uri url, string integrationId, int count, Task go)
    {
        var starts = new long[count];
        var stamps = new long[count];
        var ends = new long[count];
        var failures = 0;
        string? firstError = null;
        StampHandler.Current = stamps;
        var calls = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await go;
            starts[i] = Stopwatch.GetTimestamp();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.SetIntegrationId(integrationId);
                request.Options.Set(RequestIndex, i);
                using var response = await client.SendAsync(request);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstError, $"HTTP {(int)response.StatusCode}", null);
                }
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref failures);
                Interlocked.CompareExchange(ref firstError, ex.GetType().Name + ": " + ex.Message, null);
            }

            ends[i] = Stopwatch.GetTimestamp();
        })).ToArray();
        await Task.WhenAll(calls);
        return new Burst(starts, stamps, ends, failures, firstError);
    }

    /// <summary>
    /// The floor of one burst: <paramref name="count"/> requests parked at the front of the
    /// pipeline (before the auth handler, whose token is fresh in L1), to be released at once by
    /// <see cref="FloorBurst.Release"/>; per request, its time from the release to leaving the
    /// auth handler. The same wake-up and the same way out as waiters released by a refresh,
    /// without the refresh.
    /// </summary>
    public static FloorBurst ParkFloorBurst(HttpClient client, Uri url, string integrationId, int count)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var parked = GateHandler.Close(release.Task, count);
        return new FloorBurst(parked, release, RunBurstAsync(client, url, integrationId, count, Task.CompletedTask));
    }

    /// <summary>A floor burst parked at the gate: <see cref="Parked"/> once every request waits there.</summary>
    public sealed class FloorBurst(Task parked, TaskCompletionSource release, Task<Burst> completion)
    {
        public Task Parked => parked;

        /// <summary>Opens the gate; the moment it did.</summary>
        public long Release()
        {
            var released = Stopwatch.GetTimestamp();
            release.SetResult();
            return released;
        }

        public Task<Burst> Completion => completion;
    }

    /// <summary>Holds requests at the front of the pipeline while a floor burst gathers them.</summary>
    private sealed class GateHandler : DelegatingHandler
    {
        // One burst at a time per process, as for StampHandler.
        private static Task s_gate = Task.CompletedTask;
        private static TaskCompletionSource? s_allParked;
        private static int s_expected;
        private static int s_parked;

        /// <summary>Closes the gate until <paramref name="open"/>; the result completes once <paramref name="expected"/> requests wait at it.</summary>
        public static Task Close(Task open, int expected)
        {
            s_allParked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            s_expected = expected;
            s_parked = 0;
            s_gate = open;
            return s_allParked.Task;
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            s_gate.IsCompleted ? base.SendAsync(request, cancellationToken) : ParkedSendAsync(request, cancellationToken);

        private async Task<HttpResponseMessage> ParkedSendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var gate = s_gate;
            if (Interlocked.Increment(ref s_parked) == s_expected)
            {
                s_allParked!.TrySetResult();
            }

            await gate;
            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Stamps the moment a request left the auth handler (its token in hand).</summary>
    private sealed class StampHandler : DelegatingHandler
    {
        // One burst at a time per process: the array of the running burst.
        public static long[] Current { get; set; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Options.TryGetValue(RequestIndex, out var index) && index < Current.Length)
            {
                Current[index] = Stopwatch.GetTimestamp();
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>An API that answers 200 from memory.</summary>
internal sealed class InMemoryApi : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { RequestMessage = request });
}

/// <summary>Stopwatch timestamps of one burst's requests (machine-wide on Linux, so comparable across processes).</summary>
internal sealed record Burst(long[] Starts, long[] Stamps, long[] Ends, int Failures, string? FirstError);
