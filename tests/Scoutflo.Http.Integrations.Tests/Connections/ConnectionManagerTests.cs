using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Storage.InMemory;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Connections;

/// <summary>Validation on create and update, and the in-process cache of resolved connections.</summary>
public sealed class ConnectionManagerTests : IAsyncDisposable
{
    private static readonly TimeSpan CacheDuration = TimeSpan.FromMinutes(2);

    private readonly TestHost _host;
    private readonly CountingIntegrationStore _store;

    public ConnectionManagerTests()
    {
        _host = TestHost.Create(services =>
        {
            services.Configure<ScoutfloIntegrationsOptions>(o => o.ConnectionCacheDuration = CacheDuration);
            services.AddSingleton(sp => new CountingIntegrationStore(new InMemoryIntegrationStore(sp.GetRequiredService<TimeProvider>())));
            services.AddSingleton<IIntegrationStore>(sp => sp.GetRequiredService<CountingIntegrationStore>());
        });
        _store = _host.Services.GetRequiredService<CountingIntegrationStore>();
    }

    private IConnectionManager Manager => _host.Connections;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Theory]
    [InlineData("github")]
    [InlineData("JIRA")]
    [InlineData("")]
    public async Task CreateConnectionAsync_UnknownProvider_ThrowsProviderUnknown(string provider)
    {
        var error = await Assert.ThrowsAsync<IntegrationException>(
            () => Manager.CreateConnectionAsync(Records.CustomBearer() with { Provider = provider }));

        Assert.Equal("integration_provider_unknown", error.ErrorCode);
        Assert.Contains("custom", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _store.Gets);
    }

    [Fact]
    public async Task CreateConnectionAsync_MissingPassword_ThrowsCredentialsMissingNamingTheFieldOnly()
    {
        var record = Records.Custom(IntegrationAuthTypes.Basic, new Dictionary<string, string>
        {
            [IntegrationCredentialKeys.Username] = "svc-SECRET-user",
            [IntegrationCredentialKeys.Password] = string.Empty,
        });

        var error = await Assert.ThrowsAsync<IntegrationException>(() => Manager.CreateConnectionAsync(record));

        Assert.Equal("integration_credentials_missing", error.ErrorCode);
        Assert.Contains("'password'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("svc-SECRET-user", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IntegrationAuthTypes.ApiKey, "api_key")]
    [InlineData(IntegrationAuthTypes.Bearer, "token")]
    [InlineData(IntegrationAuthTypes.Basic, "username")]
    public async Task CreateConnectionAsync_NoCredentials_ThrowsCredentialsMissingNamingTheField(string authType, string field)
    {
        var record = Records.Custom(authType, new Dictionary<string, string> { ["unrelated"] = "other-SECRET-value" });

        var error = await Assert.ThrowsAsync<IntegrationException>(() => Manager.CreateConnectionAsync(record));

        Assert.Equal(IntegrationErrorCodes.CredentialsMissing, error.ErrorCode);
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("other-SECRET-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateConnectionAsync_MappedCredentialMissing_ThrowsCredentialsMissingWithoutThePresentValue()
    {
        var record = Records.Custom(
            IntegrationAuthTypes.MappedCredentials,
            new Dictionary<string, string> { ["api_key"] = "mk-SECRET-1" },
            new Dictionary<string, string> { [IntegrationMetadataKeys.CredentialHeaders] = "X-Api-Key=api_key,X-Api-Secret=api_secret" });

        var error = await Assert.ThrowsAsync<IntegrationException>(() => Manager.CreateConnectionAsync(record));

        Assert.Equal(IntegrationErrorCodes.CredentialsMissing, error.ErrorCode);
        Assert.Contains("'api_secret'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("mk-SECRET-1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api.example.test/v2")]
    [InlineData("/v2")]
    [InlineData("ftp://api.example.test/v2")]
    [InlineData("http://api.example.test/v2")]
    [InlineData("https://user:SECRET-pw@api.example.test/v2")]
    [InlineData("https://api.example.test/v2?tenant=1")]
    [InlineData("https://api.example.test/v2#top")]
    [InlineData("")]
    public async Task CreateConnectionAsync_MalformedBaseUrl_ThrowsBaseUrlInvalid(string baseUrl)
    {
        var error = await Assert.ThrowsAsync<IntegrationException>(
            () => Manager.CreateConnectionAsync(Records.CustomBearer(baseUrl: baseUrl)));

        Assert.Equal("integration_base_url_invalid", error.ErrorCode);
        Assert.Contains(IntegrationMetadataKeys.BaseUrl, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-pw", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("acme.atlassian.net")]
    [InlineData("http://acme.atlassian.net")]
    [InlineData("https://me@acme.atlassian.net")]
    [InlineData("https://acme.atlassian.net/?x=1")]
    public async Task CreateConnectionAsync_MalformedJiraSiteUrl_ThrowsBaseUrlInvalid(string siteUrl)
    {
        var error = await Assert.ThrowsAsync<IntegrationException>(
            () => Manager.CreateConnectionAsync(Records.JiraBasic(siteUrl)));

        Assert.Equal(IntegrationErrorCodes.BaseUrlInvalid, error.ErrorCode);
        Assert.Contains(IntegrationMetadataKeys.SiteUrl, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9090")]
    [InlineData("http://localhost:8080/api")]
    [InlineData("http://[::1]:8080")]
    public async Task CreateConnectionAsync_HttpOnLoopback_Accepted(string baseUrl)
    {
        var stored = await Manager.CreateConnectionAsync(Records.CustomBearer(baseUrl: baseUrl));

        Assert.Equal(new Uri(baseUrl), (await Manager.ResolveConnectionAsync(stored.Id)).BaseAddress);
    }

    [Theory]
    [InlineData(IntegrationProviders.Custom, IntegrationAuthTypes.OAuth2)]
    [InlineData(IntegrationProviders.Custom, "magic_link")]
    [InlineData(IntegrationProviders.Jira, IntegrationAuthTypes.ApiKey)]
    [InlineData(IntegrationProviders.Sentry, IntegrationAuthTypes.Basic)]
    public async Task CreateConnectionAsync_UnsupportedAuthType_ThrowsAuthTypeUnsupported(string provider, string authType)
    {
        var record = Records.CustomBearer() with { Provider = provider, AuthType = authType };

        var error = await Assert.ThrowsAsync<IntegrationException>(() => Manager.CreateConnectionAsync(record));

        Assert.Equal("integration_auth_type_unsupported", error.ErrorCode);
        Assert.Equal(provider, error.Provider);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task CreateConnectionAsync_MissingAccountId_ThrowsRecordInvalid(string accountId)
    {
        var error = await Assert.ThrowsAsync<IntegrationException>(
            () => Manager.CreateConnectionAsync(Records.CustomBearer() with { AccountId = accountId }));

        Assert.Equal("integration_record_invalid", error.ErrorCode);
        Assert.Contains("account id", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IntegrationMetadataKeys.ApiKeyHeader, "X Api Key")]
    [InlineData(IntegrationMetadataKeys.ApiKeyHeader, "X-Key:")]
    public async Task CreateConnectionAsync_InvalidApiKeyHeaderName_ThrowsRecordInvalid(string key, string value)
    {
        var error = await Assert.ThrowsAsync<IntegrationException>(
            () => Manager.CreateConnectionAsync(Records.CustomApiKey(new Dictionary<string, string> { [key] = value })));

        Assert.Equal(IntegrationErrorCodes.RecordInvalid, error.ErrorCode);
        Assert.DoesNotContain(Records.ApiKey, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("X-Api-Key")]
    [InlineData("X-Api-Key=")]
    [InlineData("Bad Header=api_key")]
    public async Task CreateConnectionAsync_MappedCredentialsWithoutAValidMapping_ThrowsRecordInvalid(string? mapping)
    {
        var record = Records.Custom(
            IntegrationAuthTypes.MappedCredentials,
            new Dictionary<string, string> { ["api_key"] = "mk-SECRET-1" },
            mapping is null ? null : new Dictionary<string, string> { [IntegrationMetadataKeys.CredentialHeaders] = mapping });

        var error = await Assert.ThrowsAsync<IntegrationException>(() => Manager.CreateConnectionAsync(record));

        Assert.Equal(IntegrationErrorCodes.RecordInvalid, error.ErrorCode);
        Assert.DoesNotContain("mk-SECRET-1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateConnectionAsync_BasicUserNameWithColon_ThrowsRecordInvalid()
    {
        var record = Records.Custom(IntegrationAuthTypes.Basic, new Dictionary<string, string>
        {
            [IntegrationCredentialKeys.Username] = "a:b",
            [IntegrationCredentialKeys.Password] = Records.Password,
        });

        var error = await Assert.ThrowsAsync<IntegrationException>(() => Manager.CreateConnectionAsync(record));

        Assert.Equal(IntegrationErrorCodes.RecordInvalid, error.ErrorCode);
    }

    [Fact]
    public async Task CreateConnectionAsync_SentryWithoutBaseUrl_DefaultsToSentryIo()
    {
        var stored = await Manager.CreateConnectionAsync(Records.SentryBearer(baseUrl: null));

        Assert.Equal("https://sentry.io/", (await Manager.ResolveConnectionAsync(stored.Id)).BaseAddress.AbsoluteUri);
    }

    [Fact]
    public async Task ResolveConnectionAsync_SecondCall_ServedFromCacheWithoutStoreRead()
    {
        var id = await _host.AddAsync(Records.CustomBearer());

        var first = await Manager.ResolveConnectionAsync(id);
        var second = await Manager.ResolveConnectionAsync(id);

        Assert.Equal(1, _store.Gets);
        Assert.Same(first, second);
        Assert.Equal(id, first.IntegrationId);
        Assert.Equal(new Uri(Records.CustomBaseUrl), first.BaseAddress);
    }

    [Fact]
    public async Task ResolveConnectionAsync_AfterCacheDuration_ReadsTheStoreAgain()
    {
        var id = await _host.AddAsync(Records.CustomBearer());
        await Manager.ResolveConnectionAsync(id);

        _host.Time.Advance(CacheDuration - TimeSpan.FromSeconds(1));
        await Manager.ResolveConnectionAsync(id);
        Assert.Equal(1, _store.Gets);

        _host.Time.Advance(TimeSpan.FromSeconds(1));
        await Manager.ResolveConnectionAsync(id);
        Assert.Equal(2, _store.Gets);
    }

    [Fact]
    public async Task ResolveConnectionAsync_RecordChangedBehindTheManagersBack_SeenOnlyAfterExpiry()
    {
        var stored = await Manager.CreateConnectionAsync(Records.CustomBearer());
        await Manager.ResolveConnectionAsync(stored.Id);
        await _store.UpdateAsync(stored with { Metadata = new Dictionary<string, string> { [IntegrationMetadataKeys.BaseUrl] = "https://moved.example.test" } }, stored.Version);

        Assert.Equal(new Uri(Records.CustomBaseUrl), (await Manager.ResolveConnectionAsync(stored.Id)).BaseAddress);

        _host.Time.Advance(CacheDuration);
        Assert.Equal(new Uri("https://moved.example.test"), (await Manager.ResolveConnectionAsync(stored.Id)).BaseAddress);
    }

    [Fact]
    public async Task UpdateConnectionAsync_ResolvedBefore_NextResolveSeesTheUpdate()
    {
        var stored = await Manager.CreateConnectionAsync(Records.CustomBearer());
        await Manager.ResolveConnectionAsync(stored.Id);

        await Manager.UpdateConnectionAsync(stored with { Metadata = new Dictionary<string, string> { [IntegrationMetadataKeys.BaseUrl] = "https://moved.example.test" } }, stored.Version);
        var resolved = await Manager.ResolveConnectionAsync(stored.Id);

        Assert.Equal(2, _store.Gets);
        Assert.Equal(new Uri("https://moved.example.test"), resolved.BaseAddress);
    }

    [Fact]
    public async Task UpdateConnectionAsync_NewToken_HandlerSendsTheNewToken()
    {
        var stored = await Manager.CreateConnectionAsync(Records.CustomBearer("old-SECRET"));
        using var client = _host.CreateHandlerClient(stored.Id);
        (await client.GetAsync("items")).EnsureSuccessStatusCode();

        await Manager.UpdateConnectionAsync(stored with { Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.Token] = "new-SECRET" } }, stored.Version);
        (await client.GetAsync("items")).EnsureSuccessStatusCode();

        Assert.Equal(
            [["Bearer old-SECRET"], ["Bearer new-SECRET"]],
            _host.Network.Sent.Select(r => r.Header("Authorization")));
    }

    [Fact]
    public async Task UpdateConnectionAsync_StaleVersion_ThrowsConflictAndKeepsTheStoredRecord()
    {
        var stored = await Manager.CreateConnectionAsync(Records.CustomBearer());
        var updated = await Manager.UpdateConnectionAsync(stored with { Metadata = new Dictionary<string, string> { [IntegrationMetadataKeys.BaseUrl] = "https://moved.example.test" } }, stored.Version);
        await Manager.ResolveConnectionAsync(stored.Id);

        var error = await Assert.ThrowsAsync<IntegrationConcurrencyException>(
            () => Manager.UpdateConnectionAsync(stored with { Status = IntegrationStatus.Disabled }, stored.Version));

        Assert.Equal(IntegrationErrorCodes.VersionConflict, error.ErrorCode);
        Assert.Equal(2, updated.Version);
        Assert.Equal(IntegrationStatus.Active, (await Manager.GetConnectionAsync(stored.Id))!.Status);
    }

    [Fact]
    public async Task UpdateConnectionAsync_InvalidRecord_ThrowsAndLeavesTheStoredRecord()
    {
        var stored = await Manager.CreateConnectionAsync(Records.CustomBearer());

        var error = await Assert.ThrowsAsync<IntegrationException>(
            () => Manager.UpdateConnectionAsync(stored with { Credentials = new Dictionary<string, string>() }, stored.Version));

        Assert.Equal(IntegrationErrorCodes.CredentialsMissing, error.ErrorCode);
        Assert.Equal(1, (await Manager.GetConnectionAsync(stored.Id))!.Version);
    }

    [Fact]
    public async Task DeleteConnectionAsync_ResolvedBefore_NextResolveThrowsNotFound()
    {
        var id = await _host.AddAsync(Records.CustomBearer());
        await Manager.ResolveConnectionAsync(id);

        Assert.True(await Manager.DeleteConnectionAsync(id));

        var error = await Assert.ThrowsAsync<IntegrationNotFoundException>(async () => await Manager.ResolveConnectionAsync(id));
        Assert.Equal(IntegrationErrorCodes.NotFound, error.ErrorCode);
        Assert.False(await Manager.DeleteConnectionAsync(id));
    }

    [Fact]
    public async Task Invalidate_ResolvedBefore_NextResolveReadsTheStore()
    {
        var id = await _host.AddAsync(Records.CustomBearer());
        await Manager.ResolveConnectionAsync(id);

        Manager.Invalidate(id);
        await Manager.ResolveConnectionAsync(id);

        Assert.Equal(2, _store.Gets);
    }

    [Fact]
    public async Task ResolveConnectionAsync_NotFound_IsNotCached()
    {
        const string id = "66aa000000000000000000d4";
        await Assert.ThrowsAsync<IntegrationNotFoundException>(async () => await Manager.ResolveConnectionAsync(id));

        await _host.AddAsync(Records.CustomBearer() with { Id = id });

        Assert.Equal(id, (await Manager.ResolveConnectionAsync(id)).IntegrationId);
    }

    [Fact]
    public async Task ResolveConnectionAsync_ZeroCacheDuration_ReadsTheStoreEveryTime()
    {
        await using var host = TestHost.Create(services =>
        {
            services.Configure<ScoutfloIntegrationsOptions>(o => o.ConnectionCacheDuration = TimeSpan.Zero);
            services.AddSingleton(sp => new CountingIntegrationStore(new InMemoryIntegrationStore(sp.GetRequiredService<TimeProvider>())));
            services.AddSingleton<IIntegrationStore>(sp => sp.GetRequiredService<CountingIntegrationStore>());
        });
        var id = await host.AddAsync(Records.CustomBearer());

        await host.Connections.ResolveConnectionAsync(id);
        await host.Connections.ResolveConnectionAsync(id);

        Assert.Equal(2, host.Services.GetRequiredService<CountingIntegrationStore>().Gets);
    }

    [Fact]
    public async Task ListConnectionsAsync_ProviderFilter_ReturnsOnlyThatAccountsMatchingRecords()
    {
        var jira = await Manager.CreateConnectionAsync(Records.JiraBasic("https://acme.atlassian.net"));
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        var sentry = await Manager.CreateConnectionAsync(Records.SentryBearer(baseUrl: null));
        await Manager.CreateConnectionAsync(Records.CustomBearer() with { AccountId = "another-account" });

        var all = await Manager.ListConnectionsAsync(Records.AccountId);
        var onlySentry = await Manager.ListConnectionsAsync(Records.AccountId, [IntegrationProviders.Sentry]);

        Assert.Equal([jira.Id, sentry.Id], all.Select(r => r.Id));
        Assert.Equal([sentry.Id], onlySentry.Select(r => r.Id));
    }
}
