using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Fakes.Sentry;

namespace Scoutflo.Http.Integrations.Tests.TestSupport;

/// <summary>
/// The library wired to several <see cref="SentryFake"/> hosts, as a consuming service would wire
/// it: the first stands for sentry.io (the app's <c>BaseUrl</c>), the others for regional or
/// self-hosted hosts (its <c>AdditionalBaseUrls</c>). One fake clock for all.
/// </summary>
internal sealed class SentryHarness : LibraryHarness
{
    public const string AppSlug = "scoutflo-test";

    public SentryHarness(int hosts = 1, Action<SentryFakeOptions>? fake = null, Action<SentryOptions>? sentry = null, Action<IServiceCollection>? services = null)
    {
        Fakes = Enumerable.Range(0, hosts).Select(_ =>
        {
            var options = new SentryFakeOptions { TimeProvider = Time };
            options.StaticTokens.Add(StaticToken);
            fake?.Invoke(options);
            return new SentryFake(options);
        }).ToList();

        var collection = new ServiceCollection();
        AddLibrary(collection)
            .AddSentry(o =>
            {
                o.ClientId = Fake.ClientId;
                o.ClientSecret = Fake.ClientSecret;
                o.AppSlug = AppSlug;
                o.BaseUrl = Fake.BaseUrl;
                o.AdditionalBaseUrls = Fakes.Skip(1).Select(f => f.BaseUrl).ToList();
                sentry?.Invoke(o);
            });
        services?.Invoke(collection);
        Build(collection);
    }

    public static string StaticToken { get; } = "sntrys_static_" + Guid.NewGuid().ToString("N");

    public IReadOnlyList<SentryFake> Fakes { get; }

    public SentryFake Fake => Fakes[0];

    public SentryClient Sentry(string integrationId) => Client<SentryClient>(integrationId);

    /// <summary>
    /// The install round trip: our install URL, the user installing on <paramref name="host"/>, and
    /// the redirect Sentry's external-install page makes (code, installationId, orgSlug and our state).
    /// </summary>
    public async Task<(Uri InstallUrl, OAuthCallback Callback, Fakes.Sentry.SentryFakeInstallation Installation)> ConsentAsync(SentryFake? host = null, string accountId = "acct-1")
    {
        host ??= Fake;
        var url = await Install.BuildInstallUrlAsync(new InstallRequest
        {
            Provider = IntegrationProviders.Sentry,
            AccountId = accountId,
            UserId = "user-1",
            BaseUrl = host == Fake ? null : host.BaseUrl,
        });
        var state = System.Web.HttpUtility.ParseQueryString(url.Query)["state"];
        var installation = host.SimulateInstall();
        var callback = OAuthCallback.FromQueryString(
            $"?code={Uri.EscapeDataString(installation.Code)}&installationId={Uri.EscapeDataString(installation.InstallationId)}&orgSlug={Uri.EscapeDataString(installation.OrganizationSlug)}&state={Uri.EscapeDataString(state!)}");
        return (url, callback, installation);
    }

    public async Task<Integration> InstallAsync(SentryFake? host = null, string accountId = "acct-1")
    {
        var (_, callback, _) = await ConsentAsync(host, accountId);
        return await Install.HandleCallbackAndSaveAsync(IntegrationProviders.Sentry, callback);
    }

    protected override void DisposeFakes()
    {
        foreach (var fake in Fakes)
        {
            fake.Dispose();
        }
    }
}
