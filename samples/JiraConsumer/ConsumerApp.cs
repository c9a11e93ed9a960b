using JiraConsumer.Demo;
using JiraConsumer.Endpoints;
using JiraConsumer.Sandbox;
using Scoutflo.Http.Integrations;

namespace JiraConsumer;

/// <summary>The consuming service: how a real service registers and uses the library.</summary>
public static class ConsumerApp
{
    public static WebApplication Build(string[] args, string? urls = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (urls is not null)
        {
            builder.WebHost.UseUrls(urls);
        }

        // Where browsers reach this service: the sandbox redirects back to it after consent.
        builder.Configuration["Sample:PublicUrl"] ??= urls ?? builder.Configuration["urls"]?.Split(';')[0] ?? "http://localhost:5000";

        ConfigureServices(builder);
        var app = builder.Build();

        // First, so that it answers an IntegrationException thrown anywhere after it.
        app.UseExceptionHandler();

        // DEMO ONLY: stands in for real authentication (see DemoIdentity).
        app.UseDemoSignIn();
        app.MapIntegrationEndpoints();
        app.MapJiraEndpoints();
        if (app.Services.GetService<AtlassianSandbox>() is not null)
        {
            app.MapSandboxEndpoints();
        }

        return app;
    }

    public static void ConfigureServices(WebApplicationBuilder builder)
    {
        // No Atlassian app configured: run against the embedded sandbox, which behaves like
        // Atlassian (rotating refresh tokens, expiring access tokens, accessible-resources).
        if (string.IsNullOrEmpty(builder.Configuration["Atlassian:ClientId"]))
        {
            builder.Services.AddSingleton(AtlassianSandbox.Start(builder.Configuration, new Uri(builder.Configuration["Sample:PublicUrl"]!)));
        }

        var integrations = builder.Services
            .AddScoutfloIntegrations(builder.Configuration)
            .AddAtlassian(builder.Configuration)

            // The account of an install comes from the signed-in user, never from the request.
            .AddIdentityResolver<DemoIdentity.Resolver>();

        // Every IntegrationException of every endpoint becomes problem details with its documented status.
        builder.Services.AddExceptionHandler<IntegrationExceptionHandler>().AddProblemDetails();

        // The library asks for Atlassian:RedirectUri only when an install starts (a worker that only
        // calls APIs has none); this service installs, so it wants it checked at start-up.
        builder.Services.AddOptions<AtlassianOptions>()
            .Validate(o => o.RedirectUri is not null, "Atlassian:RedirectUri is required: this service installs integrations.")
            .ValidateOnStart();

        // Real storage when configured; in memory otherwise.
        StorageSetup.Apply(integrations, builder.Configuration);

        // Multi-tenant calls (one integration per request) go through the factory's client;
        // the resilience handler retries transient failures of the Atlassian API.
        builder.Services.AddHttpClient(IntegrationHttpClientNames.MultiTenant).AddStandardResilienceHandler();

        // A service that acts for one known integration registers the typed client for it.
        if (builder.Configuration["Jira:IntegrationId"] is { Length: > 0 } integrationId)
        {
            builder.Services.AddJiraClient(integrationId).AddStandardResilienceHandler();
        }
    }
}
