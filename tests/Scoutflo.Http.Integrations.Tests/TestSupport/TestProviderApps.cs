using Microsoft.Extensions.DependencyInjection;

namespace Scoutflo.Http.Integrations.Tests.TestSupport;

/// <summary>
/// The three providers the library ships, added as an application adds them, with placeholder
/// apps: for tests of record rules and request paths that need the providers registered but
/// never reach an OAuth endpoint. The core registers none of them by itself.
/// </summary>
internal static class TestProviderApps
{
    public static IIntegrationsBuilder AddEveryProvider(this IIntegrationsBuilder builder) =>
        builder
            .AddAtlassian(o =>
            {
                o.ClientId = "atlassian-client";
                o.ClientSecret = "atlassian-SECRET-placeholder";
            })
            .AddSlack(o =>
            {
                o.ClientId = "slack-client";
                o.ClientSecret = "slack-SECRET-placeholder";
            })
            .AddSentry(o =>
            {
                o.ClientId = "sentry-client";
                o.ClientSecret = "sentry-SECRET-placeholder";
                o.AppSlug = "scoutflo-test";
            });
}
