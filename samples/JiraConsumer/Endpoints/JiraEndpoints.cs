using Scoutflo.Http.Integrations;

namespace JiraConsumer.Endpoints;

/// <summary>Calls to Jira on a customer's behalf, through the typed client.</summary>
internal static class JiraEndpoints
{
    public static void MapJiraEndpoints(this IEndpointRouteBuilder app)
    {
        // Multi-tenant: the integration comes with the request.
        var perIntegration = app.MapGroup("/integrations/{id}/jira");
        perIntegration.MapGet("/myself", async (string id, IIntegrationClientFactory clients, CancellationToken ct) =>
            Results.Ok(await clients.CreateClient<JiraClient>(id).GetMyselfAsync(ct)));
        perIntegration.MapGet("/search", async (string id, string jql, int? max, IIntegrationClientFactory clients, CancellationToken ct) =>
            Results.Ok(await clients.CreateClient<JiraClient>(id).SearchAsync(jql, ["summary", "status"], max ?? 10, cancellationToken: ct)));

        // Single integration: the typed client registered with AddJiraClient(Jira:IntegrationId).
        app.MapGet("/jira/myself", async (IServiceProvider services, CancellationToken ct) =>
            services.GetService<JiraClient>() is { } jira
                ? Results.Ok(await jira.GetMyselfAsync(ct))
                : Results.Problem("Set Jira:IntegrationId to use the single-integration client.", statusCode: StatusCodes.Status404NotFound));
    }
}
