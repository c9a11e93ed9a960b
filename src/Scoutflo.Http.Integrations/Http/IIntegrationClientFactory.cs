namespace Scoutflo.Http.Integrations;

/// <summary>
/// For multi-tenant code that picks the integration at the call site: an
/// <see cref="HttpClient"/> (or typed client) bound to one integration, on the pooled handlers
/// of <c>IHttpClientFactory</c>. Clients are cheap; make one per use and dispose it.
/// </summary>
public interface IIntegrationClientFactory
{
    /// <summary>A client whose requests carry <paramref name="integrationId"/>'s credential (a request may still name another with <c>SetIntegrationId</c>).</summary>
    /// <param name="integrationId">The integration id.</param>
    HttpClient CreateClient(string integrationId);

    /// <summary>A typed client (<c>JiraClient</c>, <c>SlackClient</c>, ...) bound to <paramref name="integrationId"/>.</summary>
    /// <typeparam name="TClient">A class whose constructor takes an <see cref="HttpClient"/> (and services).</typeparam>
    /// <param name="integrationId">The integration id.</param>
    TClient CreateClient<TClient>(string integrationId)
        where TClient : class;
}
