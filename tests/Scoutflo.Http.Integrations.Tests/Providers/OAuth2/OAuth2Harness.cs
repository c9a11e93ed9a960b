using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Fakes.OAuth2;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Providers.OAuth2;

/// <summary>
/// Two configured OAuth 2.0 providers side by side, as a consuming service would declare them
/// (<c>AddOAuth2Provider</c>), against a GitHub-App-like and a Google-like fake on one fake clock.
/// </summary>
internal sealed class OAuth2Harness : LibraryHarness
{
    public const string GitHub = "github";
    public const string Google = "google";
    public static readonly Uri RedirectUri = new("https://app.example.com/integrations/callback");

    public OAuth2Harness(Action<OAuth2ProviderOptions>? github = null, Action<OAuth2ProviderOptions>? google = null, Action<IIntegrationsBuilder>? builder = null)
    {
        GitHubFake = new GitHubAppFake(Time);
        GoogleFake = new GoogleFake(Time);
        var collection = new ServiceCollection();
        var integrations = AddLibrary(collection);
        builder?.Invoke(integrations);
        integrations
            .AddOAuth2Provider(GitHub, o =>
            {
                Point(o, GitHubFake);
                o.RefreshTokensRotate = true;
                o.TokenResponse.DeadGrantErrors.Add("bad_refresh_verification_code");
                o.TokenResponse.DeadGrantErrors.Add("bad_verification_code");
                github?.Invoke(o);
            })
            .AddOAuth2Provider(Google, o =>
            {
                Point(o, GoogleFake);
                o.DefaultScopes = ["openid", "https://www.googleapis.com/auth/drive.readonly"];
                o.ExtraAuthorizeParameters["access_type"] = "offline";
                o.ExtraAuthorizeParameters["prompt"] = "consent";
                google?.Invoke(o);
            });
        Build(collection);
    }

    public GitHubAppFake GitHubFake { get; }

    public GoogleFake GoogleFake { get; }

    public OAuth2ProviderFake FakeOf(string provider) => provider == GitHub ? GitHubFake : GoogleFake;

    public async Task<Uri> InstallUrlAsync(string provider, string user = "user-1") =>
        await Install.BuildInstallUrlAsync(new InstallRequest { Provider = provider, AccountId = "acct-1", UserId = user });

    /// <summary>Our install URL, the user consenting at the fake, and the callback it redirects to.</summary>
    public async Task<OAuthCallback> ConsentAsync(string provider, string user = "user-1")
    {
        var redirect = await FakeOf(provider).ConsentAsync(await InstallUrlAsync(provider, user), user);
        Assert.Equal(RedirectUri.GetLeftPart(UriPartial.Path), redirect.GetLeftPart(UriPartial.Path));
        return OAuthCallback.FromQueryString(redirect.Query);
    }

    public async Task<Integration> InstallAsync(string provider, string user = "user-1") =>
        await Install.HandleCallbackAndSaveAsync(provider, await ConsentAsync(provider, user));

    /// <summary><c>GET api/me</c> through the library's client for the integration: the login the token belongs to.</summary>
    public async Task<string> MeAsync(string integrationId)
    {
        var client = Services.GetRequiredService<IIntegrationClientFactory>().CreateClient(integrationId);
        using var response = await client.GetAsync(new Uri("me", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("login").GetString()!;
    }

    protected override void DisposeFakes()
    {
        GitHubFake.Dispose();
        GoogleFake.Dispose();
    }

    private static void Point(OAuth2ProviderOptions o, OAuth2ProviderFake fake)
    {
        o.ClientId = fake.ClientId;
        o.ClientSecret = fake.ClientSecret;
        o.AuthorizeUrl = fake.AuthorizeUrl;
        o.TokenUrl = fake.TokenUrl;
        o.ApiBaseUrl = fake.ApiBaseUrl;
        o.RedirectUri = RedirectUri;
    }
}
