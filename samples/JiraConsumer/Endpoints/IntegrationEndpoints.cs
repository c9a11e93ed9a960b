using System.Net;
using System.Security.Claims;
using System.Text;
using Scoutflo.Http.Integrations;

namespace JiraConsumer.Endpoints;

/// <summary>Connect, callback (with the site choice), list and disconnect.</summary>
internal static class IntegrationEndpoints
{
    public static void MapIntegrationEndpoints(this IEndpointRouteBuilder app)
    {
        var integrations = app.MapGroup("/integrations");

        // 1. The user clicks "Connect Jira": send them to Atlassian's consent page. The user is
        //    the signed-in one (here the demo sign-in; in a real service its authentication), and
        //    the account is what the identity resolver says that user belongs to: nothing in the
        //    query string can attach the integration to another account.
        integrations.MapGet("/connect/{provider}", async (string provider, ClaimsPrincipal user, IntegrationInstallService install, CancellationToken ct) =>
        {
            if (user.FindFirstValue(ClaimTypes.NameIdentifier) is not { Length: > 0 } userId)
            {
                return Results.Unauthorized();
            }

            var url = await install.BuildInstallUrlAsync(new InstallRequest { Provider = provider, UserId = userId }, ct);
            return Results.Redirect(url.AbsoluteUri);
        });

        // 2. Atlassian sends the user back here with a code and the state. A refused consent or a
        // replayed callback throws an IntegrationException: IntegrationExceptionHandler answers it.
        integrations.MapGet("/callback", async (HttpRequest request, IntegrationInstallService install, CancellationToken ct) =>
        {
            try
            {
                var result = await install.HandleCallbackAsync(OAuthCallback.FromQueryString(request.QueryString.Value), ct);
                return Connected(await install.SaveAsync(result, ct));
            }
            catch (AtlassianSiteSelectionRequiredException selection)
            {
                return SiteChoicePage(selection);
            }
        });

        // 3. (Several sites only) the user picked one on the page above.
        integrations.MapPost("/select-site", async (HttpRequest request, IntegrationInstallService install, CancellationToken ct) =>
        {
            var form = await request.ReadFormAsync(ct);
            var result = await install.CompleteSiteSelectionAsync(form["handle"].ToString(), form["cloudId"].ToString(), ct);
            return Connected(await install.SaveAsync(result, ct));
        }).DisableAntiforgery();

        // The signed-in user's own account's connections, never an account named by the caller.
        integrations.MapGet("/", async (ClaimsPrincipal user, IIntegrationIdentityResolver identities, IConnectionManager connections, CancellationToken ct) =>
        {
            if (user.FindFirstValue(ClaimTypes.NameIdentifier) is not { Length: > 0 } userId)
            {
                return Results.Unauthorized();
            }

            var identity = await identities.ResolveAsync(new IntegrationIdentityContext { UserId = userId, Provider = IntegrationProviders.Jira }, ct);
            return Results.Ok((await connections.ListConnectionsAsync(identity.AccountId, cancellationToken: ct)).Select(Describe));
        });

        integrations.MapDelete("/{id}", async (string id, IConnectionManager connections, CancellationToken ct) =>
            await connections.DeleteConnectionAsync(id, ct) ? Results.NoContent() : Results.NotFound());
    }

    // Never the credentials: only what the user may see of a connection.
    private static object Describe(Integration i) => new
    {
        integrationId = i.Id,
        provider = i.Provider,
        accountId = i.AccountId,
        status = i.Status,
        site = i.GetMetadata(IntegrationMetadataKeys.SiteUrl),
        siteName = i.GetMetadata(IntegrationMetadataKeys.SiteName),
        scopes = i.Scopes,
    };

    private static IResult Connected(Integration integration) => Results.Ok(Describe(integration));

    private static IResult SiteChoicePage(AtlassianSiteSelectionRequiredException selection)
    {
        var html = new StringBuilder("<!doctype html><title>Choose a site</title><h1>Which Atlassian site?</h1>")
            .Append("<form method=\"post\" action=\"/integrations/select-site\">")
            .Append("<input type=\"hidden\" name=\"handle\" value=\"").Append(WebUtility.HtmlEncode(selection.SelectionHandle)).Append("\">");
        foreach (var site in selection.Sites)
        {
            html.Append("<label><input type=\"radio\" name=\"cloudId\" value=\"").Append(WebUtility.HtmlEncode(site.CloudId)).Append("\"> ")
                .Append(WebUtility.HtmlEncode(site.Name)).Append(" (").Append(WebUtility.HtmlEncode(site.Url.Host)).Append(")</label><br>");
        }

        html.Append("<button type=\"submit\">Connect</button></form>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }
}
