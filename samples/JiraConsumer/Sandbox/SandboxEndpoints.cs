namespace JiraConsumer.Sandbox;

/// <summary>Levers of the embedded sandbox, mapped only when it runs (never against real Atlassian).</summary>
internal static class SandboxEndpoints
{
    public static void MapSandboxEndpoints(this IEndpointRouteBuilder app)
    {
        var sandbox = app.MapGroup("/sandbox");
        sandbox.MapPost("/expire-access-tokens", (AtlassianSandbox s) =>
        {
            s.Fake.ExpireAccessTokens();
            return Results.NoContent();
        });
        sandbox.MapGet("/stats", (AtlassianSandbox s) => Results.Ok(new
        {
            tokenEndpointCalls = s.Fake.TokenEndpointCalls,
            refreshCalls = s.Fake.RefreshCalls,
            apiCalls = s.Fake.ApiCalls,
            grantRevoked = s.Fake.IsGrantRevoked(s.Fake.ConsentingAccountId),
        }));
        sandbox.MapPost("/deny-consent", (AtlassianSandbox s, bool deny) =>
        {
            s.Fake.DenyConsent = deny;
            return Results.NoContent();
        });
        sandbox.MapPost("/sites", (AtlassianSandbox s, int count) =>
        {
            var sites = Enumerable.Range(1, count)
                .Select(i => new Scoutflo.Http.Integrations.Fakes.Atlassian.AtlassianFakeSite(
                    $"7a1c3a5e-0000-4000-8000-{i:D12}", $"sandbox-site-{i}", new Uri($"https://sandbox-site-{i}.atlassian.net")))
                .ToArray();
            s.Fake.SetSites(sites);
            return Results.NoContent();
        });
    }
}
