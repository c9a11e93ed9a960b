namespace Scoutflo.Http.Integrations.Http.Internal;

internal sealed class IntegrationClientFactory(IHttpMessageHandlerFactory handlers, IServiceProvider services) : IIntegrationClientFactory
{
    /// <summary>The named client whose pipeline carries the auth handler with no bound integration.</summary>
    public const string ClientName = "Scoutflo.Http.Integrations.MultiTenant";

    public HttpClient CreateClient(string integrationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        var binder = new BindIntegrationIdHandler(integrationId) { InnerHandler = handlers.CreateHandler(ClientName) };

        // The pooled pipeline belongs to the factory: disposing this client must not dispose it.
        return new HttpClient(binder, disposeHandler: false) { BaseAddress = ResolvedConnection.PlaceholderBaseAddress };
    }

    public TClient CreateClient<TClient>(string integrationId)
        where TClient : class =>
        ActivatorUtilities.CreateInstance<TClient>(services, CreateClient(integrationId));

    /// <summary>Names the client's integration on requests that do not name one themselves.</summary>
    private sealed class BindIntegrationIdHandler(string integrationId) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.GetIntegrationId() is null)
            {
                request.SetIntegrationId(integrationId);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
