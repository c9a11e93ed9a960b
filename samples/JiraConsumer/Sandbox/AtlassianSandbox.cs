using Scoutflo.Http.Integrations.Fakes.Atlassian;

namespace JiraConsumer.Sandbox;

/// <summary>
/// The embedded Atlassian: a local fake of auth.atlassian.com and api.atlassian.com, so that the
/// sample needs no network, browser or credentials. The library is pointed at it through the
/// same settings a real deployment uses (Atlassian:AuthorizeEndpoint, TokenEndpoint, ApiBaseUrl).
/// </summary>
public sealed class AtlassianSandbox : IDisposable
{
    private AtlassianSandbox(AtlassianFake fake) => Fake = fake;

    public AtlassianFake Fake { get; }

    public static AtlassianSandbox Start(IConfiguration configuration, Uri publicUrl)
    {
        var fake = new AtlassianFake();
        configuration["Atlassian:ClientId"] = fake.ClientId;
        configuration["Atlassian:ClientSecret"] = fake.ClientSecret;
        configuration["Atlassian:RedirectUri"] = new Uri(publicUrl, "/integrations/callback").AbsoluteUri;
        configuration["Atlassian:AuthorizeEndpoint"] = fake.AuthorizeEndpoint.AbsoluteUri;
        configuration["Atlassian:TokenEndpoint"] = fake.TokenEndpoint.AbsoluteUri;
        configuration["Atlassian:ApiBaseUrl"] = fake.ApiBaseUrl.AbsoluteUri;
        return new AtlassianSandbox(fake);
    }

    public void Dispose() => Fake.Dispose();
}
