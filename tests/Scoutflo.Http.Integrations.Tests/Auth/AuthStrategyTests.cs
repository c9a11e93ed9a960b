using Scoutflo.Http.Integrations.Auth.Internal;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Auth;

/// <summary>
/// The static strategies on their own, with provider profiles the built-in providers do not
/// have yet (a provider default API-key header, a provider credential mapping).
/// </summary>
public sealed class AuthStrategyTests
{
    private static readonly ProviderProfile PlainProvider = new()
    {
        Name = "plain",
        AuthTypes = [IntegrationAuthTypes.ApiKey, IntegrationAuthTypes.MappedCredentials],
    };

    [Fact]
    public async Task ApiKeyAuthStrategy_ProviderDefaultHeader_UsedWhenTheRecordNamesNone()
    {
        var provider = new ProviderProfile { Name = "p", AuthTypes = [IntegrationAuthTypes.ApiKey], ApiKeyHeader = "X-Provider-Key" };

        var sent = await ApplyAsync(new ApiKeyAuthStrategy(), Records.CustomApiKey(), provider);

        Assert.Equal([Records.ApiKey], sent.GetValues("X-Provider-Key"));
        Assert.False(sent.Contains("X-Api-Key"));
    }

    [Fact]
    public async Task ApiKeyAuthStrategy_RecordHeader_WinsOverTheProviderDefault()
    {
        var provider = new ProviderProfile { Name = "p", AuthTypes = [IntegrationAuthTypes.ApiKey], ApiKeyHeader = "X-Provider-Key" };
        var record = Records.CustomApiKey(new Dictionary<string, string> { [IntegrationMetadataKeys.ApiKeyHeader] = "X-Record-Key" });

        var sent = await ApplyAsync(new ApiKeyAuthStrategy(), record, provider);

        Assert.Equal([Records.ApiKey], sent.GetValues("X-Record-Key"));
        Assert.False(sent.Contains("X-Provider-Key"));
    }

    [Fact]
    public async Task MappedCredentialsAuthStrategy_ProviderMapping_WinsOverTheRecordsMetadata()
    {
        var provider = new ProviderProfile
        {
            Name = "p",
            AuthTypes = [IntegrationAuthTypes.MappedCredentials],
            CredentialHeaders = new Dictionary<string, string> { ["X-Client-Id"] = "client_id", ["X-Client-Secret"] = "client_secret" },
        };
        var record = Records.Custom(
            IntegrationAuthTypes.MappedCredentials,
            new Dictionary<string, string> { ["client_id"] = "cid-1", ["client_secret"] = "csec-SECRET-2", ["api_key"] = "unused" },
            new Dictionary<string, string> { [IntegrationMetadataKeys.CredentialHeaders] = "X-Api-Key=api_key" });

        var sent = await ApplyAsync(new MappedCredentialsAuthStrategy(), record, provider);

        Assert.Equal(["cid-1"], sent.GetValues("X-Client-Id"));
        Assert.Equal(["csec-SECRET-2"], sent.GetValues("X-Client-Secret"));
        Assert.False(sent.Contains("X-Api-Key"));
    }

    [Fact]
    public async Task QueryParameterCredentialApplier_KeyWithReservedCharacters_IsEscaped()
    {
        var record = Records.CustomApiKey(new Dictionary<string, string> { [IntegrationMetadataKeys.ApiKeyQueryParameter] = "key" }, key: "a+b/c=d&e");
        var applier = new ApiKeyAuthStrategy().CreateApplier(record, PlainProvider);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example.test/v2/items?x=1");

        await applier.ApplyAsync(request, CancellationToken.None);

        Assert.Equal("?x=1&key=a%2Bb%2Fc%3Dd%26e", request.RequestUri!.Query);
        Assert.False(applier.CanRefresh);
        using var unauthorized = new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized);
        Assert.False(await applier.TryRefreshAsync(request, unauthorized, CancellationToken.None));
    }

    [Fact]
    public void CreateApplier_EveryStaticStrategy_ToStringNamesNoSecret()
    {
        var appliers = new[]
        {
            new ApiKeyAuthStrategy().CreateApplier(Records.CustomApiKey(), PlainProvider),
            new ApiKeyAuthStrategy().CreateApplier(Records.CustomApiKey(new Dictionary<string, string> { [IntegrationMetadataKeys.ApiKeyQueryParameter] = "key" }), PlainProvider),
            new BasicAuthStrategy().CreateApplier(Records.CustomBasic(), PlainProvider),
            new BearerAuthStrategy().CreateApplier(Records.CustomBearer(), PlainProvider),
        };

        Assert.All(appliers, applier =>
        {
            var text = applier.ToString()!;
            Assert.DoesNotContain(Records.ApiKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Records.Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Records.BasicParameter, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Records.BearerToken, text, StringComparison.Ordinal);
        });
    }

    private static async Task<System.Net.Http.Headers.HttpRequestHeaders> ApplyAsync(IAuthStrategy strategy, Integration record, ProviderProfile provider)
    {
        strategy.Validate(record, provider);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example.test/v2/items");
        await strategy.CreateApplier(record, provider).ApplyAsync(request, CancellationToken.None);
        return request.Headers;
    }
}
