using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Scoutflo.Http.Integrations.Auth.Internal;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Connections;

/// <summary>
/// Nothing stored can inject into the wire: every value that becomes a header value, a header
/// name or a query parameter is refused with a control character in it, at creation, at update
/// and when a record written by another process is resolved; absurd sizes are refused too.
/// Error messages name the field, never its value.
/// </summary>
public sealed class StoredValueValidationTests : IAsyncDisposable
{
    private const string CredentialsInvalid = "integration_credentials_invalid";
    private const string RecordInvalid = "integration_record_invalid";
    private const string Injected = "SECRET-inj\r\nX-Injected: 1";

    private readonly TestHost _host = TestHost.Create();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    public static TheoryData<string> ControlCharacters => ["\r\n", "\n", "\r", "\0", "\t", "\u0001", "\u001f", "\u007f"];

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public async Task CreateConnectionAsync_ControlCharacterInApiKey_ThrowsCredentialsInvalidNamingTheFieldOnly(string control)
    {
        var error = await CreateRefusedAsync(Records.CustomApiKey(key: $"ak-SECRET{control}X-Injected: 1"));

        Assert.Equal(CredentialsInvalid, error.ErrorCode);
        Assert.Contains("credential 'api_key' contains a control character", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ak-SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateConnectionAsync_ControlCharacterInApiKeyPrefix_ThrowsRecordInvalid()
    {
        var error = await CreateRefusedAsync(Records.CustomApiKey(new Dictionary<string, string> { [IntegrationMetadataKeys.ApiKeyPrefix] = "Token\r\nX-Injected: 1" }));

        Assert.Equal(RecordInvalid, error.ErrorCode);
        Assert.Contains("'api_key_prefix'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Injected", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X-Key\r\nX-Injected")]
    [InlineData("X-Key\0")]
    [InlineData("Host")]
    [InlineData("Proxy-Authorization")]
    [InlineData("transfer-encoding")]
    public async Task CreateConnectionAsync_ApiKeyHeaderNameInjectingOrForbidden_ThrowsRecordInvalid(string header)
    {
        var error = await CreateRefusedAsync(Records.CustomApiKey(new Dictionary<string, string> { [IntegrationMetadataKeys.ApiKeyHeader] = header }));

        Assert.Equal(RecordInvalid, error.ErrorCode);
        Assert.Contains("'api_key_header'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public async Task CreateConnectionAsync_ControlCharacterInApiKeyQueryParameter_ThrowsRecordInvalid(string control)
    {
        var error = await CreateRefusedAsync(Records.CustomApiKey(new Dictionary<string, string> { [IntegrationMetadataKeys.ApiKeyQueryParameter] = $"key{control}x" }));

        Assert.Equal(RecordInvalid, error.ErrorCode);
        Assert.Contains("'api_key_query_parameter'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateConnectionAsync_ControlCharacterInBearerToken_ThrowsCredentialsInvalid()
    {
        var error = await CreateRefusedAsync(Records.CustomBearer(token: "bt-" + Injected));

        Assert.Equal(CredentialsInvalid, error.ErrorCode);
        Assert.Contains("credential 'token'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-inj", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IntegrationCredentialKeys.Username)]
    [InlineData(IntegrationCredentialKeys.Password)]
    public async Task CreateConnectionAsync_ControlCharacterInBasicCredential_ThrowsCredentialsInvalid(string field)
    {
        var credentials = new Dictionary<string, string>
        {
            [IntegrationCredentialKeys.Username] = Records.Username,
            [IntegrationCredentialKeys.Password] = Records.Password,
        };
        credentials[field] += "\r\nX-Injected: 1";

        var error = await CreateRefusedAsync(Records.Custom(IntegrationAuthTypes.Basic, credentials));

        Assert.Equal(CredentialsInvalid, error.ErrorCode);
        Assert.Contains($"credential '{field}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Records.Password, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateConnectionAsync_ControlCharacterInMappedCredential_ThrowsCredentialsInvalid()
    {
        var record = Records.Custom(
            IntegrationAuthTypes.MappedCredentials,
            new Dictionary<string, string> { ["api_key"] = "k-1", ["api_secret"] = "s-" + Injected },
            new Dictionary<string, string> { [IntegrationMetadataKeys.CredentialHeaders] = "X-Api-Key=api_key,X-Api-Secret=api_secret" });

        var error = await CreateRefusedAsync(record);

        Assert.Equal(CredentialsInvalid, error.ErrorCode);
        Assert.Contains("credential 'api_secret'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-inj", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host")]
    [InlineData("host")]
    [InlineData("Content-Length")]
    [InlineData("Transfer-Encoding")]
    [InlineData("Connection")]
    [InlineData("Upgrade")]
    [InlineData("TE")]
    [InlineData("Trailer")]
    [InlineData("Keep-Alive")]
    [InlineData("Proxy-Authorization")]
    [InlineData("Proxy-Connection")]
    [InlineData("proxy-anything")]
    [InlineData("X Key")]
    [InlineData("X-Key:")]
    [InlineData("X-Kéy")]
    public async Task CreateConnectionAsync_MappedHeaderNameForbiddenOrNotAToken_ThrowsRecordInvalid(string header)
    {
        var record = Records.Custom(
            IntegrationAuthTypes.MappedCredentials,
            new Dictionary<string, string> { ["api_key"] = "k-1" },
            new Dictionary<string, string> { [IntegrationMetadataKeys.CredentialHeaders] = $"{header}=api_key" });

        var error = await CreateRefusedAsync(record);

        Assert.Equal(RecordInvalid, error.ErrorCode);
        Assert.Contains(IntegrationMetadataKeys.CredentialHeaders, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host")]
    [InlineData("Content-Length")]
    [InlineData("Proxy-Authorization")]
    [InlineData("X-Key\r\nX-Injected")]
    public void MappedCredentialsAuthStrategy_ProviderMappingWithForbiddenHeader_ThrowsRecordInvalid(string header)
    {
        var provider = new ProviderProfile
        {
            Name = "p",
            AuthTypes = [IntegrationAuthTypes.MappedCredentials],
            CredentialHeaders = new Dictionary<string, string> { [header] = "api_key" },
        };
        var record = Records.Custom(IntegrationAuthTypes.MappedCredentials, new Dictionary<string, string> { ["api_key"] = "k-1" });

        var error = Assert.Throws<IntegrationException>(() => new MappedCredentialsAuthStrategy().Validate(record, provider));

        Assert.Equal(RecordInvalid, error.ErrorCode);
    }

    [Fact]
    public async Task UpdateConnectionAsync_ControlCharacterInToken_RefusedAndTheStoredRecordKept()
    {
        var stored = await _host.Connections.CreateConnectionAsync(Records.CustomBearer());

        var error = await Assert.ThrowsAsync<IntegrationException>(() => _host.Connections.UpdateConnectionAsync(
            stored with { Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.Token] = Injected } }, stored.Version));

        Assert.Equal(CredentialsInvalid, error.ErrorCode);
        Assert.Equal(Records.BearerToken, (await _host.Connections.GetConnectionAsync(stored.Id))!.GetCredential(IntegrationCredentialKeys.Token));
    }

    [Fact]
    public async Task SaveAsync_InstallWhoseTokenHoldsAControlCharacter_RefusedAndNothingStored()
    {
        var install = _host.Services.GetRequiredService<IntegrationInstallService>();
        var integration = new Integration
        {
            Provider = IntegrationProviders.Slack,
            AccountId = Records.AccountId,
            AuthType = IntegrationAuthTypes.OAuth2,
            Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.AccessToken] = "xoxb-" + Injected },
            Metadata = new Dictionary<string, string> { [IntegrationMetadataKeys.TeamId] = "T0001" },
        };

        var error = await Assert.ThrowsAsync<IntegrationException>(() => install.SaveAsync(new InstallResult(integration, null, [])));

        Assert.Equal(CredentialsInvalid, error.ErrorCode);
        Assert.Contains("credential 'access_token'", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _host.Connections.ListConnectionsAsync(Records.AccountId));
    }

    // ---- size limits ---------------------------------------------------------------------

    [Fact]
    public async Task CreateConnectionAsync_CredentialValueAtTheLimit_Accepted_OneMore_Refused()
    {
        await _host.Connections.CreateConnectionAsync(Records.CustomBearer(token: new string('t', 16 * 1024)) with { AccountId = "acct-limit" });

        var error = await CreateRefusedAsync(Records.CustomBearer(token: new string('t', 16 * 1024 + 1)));

        Assert.Equal(CredentialsInvalid, error.ErrorCode);
        Assert.Contains("credential 'token'", error.Message, StringComparison.Ordinal);
        Assert.Contains("16384", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateConnectionAsync_TooManyCredentials_ThrowsCredentialsInvalid()
    {
        var credentials = Enumerable.Range(0, 32).ToDictionary(i => $"field_{i}", i => "v");
        credentials[IntegrationCredentialKeys.Token] = Records.BearerToken;

        var error = await CreateRefusedAsync(Records.Custom(IntegrationAuthTypes.Bearer, credentials));

        Assert.Equal(CredentialsInvalid, error.ErrorCode);
        Assert.Contains("32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateConnectionAsync_CredentialNameTooLong_ThrowsCredentialsInvalid()
    {
        var credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.Token] = Records.BearerToken, [new string('n', 129)] = "v" };

        var error = await CreateRefusedAsync(Records.Custom(IntegrationAuthTypes.Bearer, credentials));

        Assert.Equal(CredentialsInvalid, error.ErrorCode);
    }

    [Theory]
    [InlineData("account_id")]
    [InlineData("created_by")]
    [InlineData("id")]
    public async Task CreateConnectionAsync_IdLongerThan256_ThrowsRecordInvalid(string field)
    {
        var record = Records.CustomBearer();
        record = field switch
        {
            "account_id" => record with { AccountId = new string('a', 257) },
            "created_by" => record with { CreatedBy = new string('u', 257) },
            _ => record with { Id = new string('6', 257) },
        };

        var error = await CreateRefusedAsync(record);

        Assert.Equal(RecordInvalid, error.ErrorCode);
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("account_id")]
    [InlineData("created_by")]
    public async Task CreateConnectionAsync_ControlCharacterInId_ThrowsRecordInvalid(string field)
    {
        var record = field == "account_id"
            ? Records.CustomBearer() with { AccountId = "acct\r\n1" }
            : Records.CustomBearer() with { CreatedBy = "user\n1" };

        var error = await CreateRefusedAsync(record);

        Assert.Equal(RecordInvalid, error.ErrorCode);
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateConnectionAsync_IdsAtTheLimit_Accepted()
    {
        var stored = await _host.Connections.CreateConnectionAsync(Records.CustomBearer() with { AccountId = new string('a', 256), CreatedBy = new string('u', 256) });

        Assert.Equal(256, stored.AccountId.Length);
    }

    [Fact]
    public async Task CreateConnectionAsync_BaseUrlLongerThan2048_ThrowsBaseUrlInvalid()
    {
        var longUrl = "https://api.example.test/" + new string('p', 2049 - "https://api.example.test/".Length);

        var error = await CreateRefusedAsync(Records.CustomBearer(baseUrl: longUrl));

        Assert.Equal(IntegrationErrorCodes.BaseUrlInvalid, error.ErrorCode);
        Assert.Contains("2048", error.Message, StringComparison.Ordinal);
        await _host.Connections.CreateConnectionAsync(Records.CustomBearer(baseUrl: longUrl[..2048]));
    }

    [Fact]
    public async Task CreateConnectionAsync_TooManyMetadataEntries_ThrowsRecordInvalid()
    {
        var metadata = Enumerable.Range(0, 64).ToDictionary(i => $"extra_{i}", i => "v");

        var error = await CreateRefusedAsync(Records.CustomApiKey(metadata));

        Assert.Equal(RecordInvalid, error.ErrorCode);
        Assert.Contains("64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateConnectionAsync_MetadataKeyOrValueTooLong_ThrowsRecordInvalid()
    {
        var longKey = await CreateRefusedAsync(Records.CustomApiKey(new Dictionary<string, string> { [new string('k', 129)] = "v" }));
        var longValue = await CreateRefusedAsync(Records.CustomApiKey(new Dictionary<string, string> { ["note"] = new string('v', 4097) }));

        Assert.Equal(RecordInvalid, longKey.ErrorCode);
        Assert.Equal(RecordInvalid, longValue.ErrorCode);
        Assert.Contains("'note'", longValue.Message, StringComparison.Ordinal);
        await _host.Connections.CreateConnectionAsync(Records.CustomApiKey(new Dictionary<string, string> { ["note"] = new string('v', 4096) }));
    }

    // ---- resolve time: a record written behind the manager's back --------------------------

    public static TheoryData<string, Integration> RecordsWrittenElsewhere => new()
    {
        { CredentialsInvalid, Records.CustomApiKey(key: "ak-" + Injected) },
        { CredentialsInvalid, Records.CustomBearer(token: "bt-" + Injected) },
        { RecordInvalid, Records.CustomApiKey(new Dictionary<string, string> { [IntegrationMetadataKeys.ApiKeyPrefix] = "Token\r\nX-Injected: 1" }) },
        { RecordInvalid, Records.CustomApiKey(new Dictionary<string, string> { [IntegrationMetadataKeys.ApiKeyHeader] = "Host" }) },
        { RecordInvalid, Records.CustomApiKey(new Dictionary<string, string> { [IntegrationMetadataKeys.ApiKeyQueryParameter] = "k\r\nx" }) },
        {
            RecordInvalid, Records.Custom(IntegrationAuthTypes.MappedCredentials, new Dictionary<string, string> { ["api_key"] = "k-1" },
                new Dictionary<string, string> { [IntegrationMetadataKeys.CredentialHeaders] = "Transfer-Encoding=api_key" })
        },
        { CredentialsInvalid, Records.CustomBearer(token: new string('t', 16 * 1024 + 1)) },
        { RecordInvalid, Records.CustomBearer() with { AccountId = new string('a', 257) } },
        {
            CredentialsInvalid, new Integration
            {
                Provider = IntegrationProviders.Slack,
                AccountId = Records.AccountId,
                AuthType = IntegrationAuthTypes.OAuth2,
                Credentials = new Dictionary<string, string>
                {
                    [IntegrationCredentialKeys.AccessToken] = "xoxb-" + Injected,
                    [IntegrationCredentialKeys.ExpiresAt] = TestHost.Start.AddHours(6).ToString("O"),
                },
            }
        },
    };

    [Theory]
    [MemberData(nameof(RecordsWrittenElsewhere))]
    public async Task SendAsync_RecordWrittenBehindTheManagersBack_FailsWithACodeAndSendsNothing(string code, Integration record)
    {
        var stored = await _host.Services.GetRequiredService<IIntegrationStore>().InsertAsync(record);
        using var client = _host.CreateHandlerClient(stored.Id);

        var error = await Assert.ThrowsAsync<IntegrationException>(() => client.GetAsync("items"));

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(stored.Id, error.IntegrationId);
        Assert.DoesNotContain("SECRET-inj", error.ToString(), StringComparison.Ordinal);
        _host.Network.AssertNothingSent();
    }

    [Fact]
    public async Task ResolveConnectionAsync_RecordWrittenElsewhereRefused_LogsAWarningWithTheCodeAndNoValue()
    {
        await using var host = TestHost.Create(services => services.AddFakeLogging());
        var stored = await host.Services.GetRequiredService<IIntegrationStore>().InsertAsync(Records.CustomBearer(token: "bt-" + Injected));

        await Assert.ThrowsAsync<IntegrationException>(() => host.Connections.ResolveConnectionAsync(stored.Id).AsTask());

        var logged = Assert.Single(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 1010);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, logged.Level);
        Assert.Contains(stored.Id, logged.Message, StringComparison.Ordinal);
        Assert.Contains(CredentialsInvalid, logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-inj", logged.Message + string.Join(" ", logged.StructuredState?.Select(kv => kv.Value) ?? []), StringComparison.Ordinal);
    }

    private async Task<IntegrationException> CreateRefusedAsync(Integration record)
    {
        var error = await Assert.ThrowsAsync<IntegrationException>(() => _host.Connections.CreateConnectionAsync(record));
        Assert.Empty(await _host.Connections.ListConnectionsAsync(record.AccountId.Length is > 0 and <= 256 && !record.AccountId.Contains('\n') ? record.AccountId : Records.AccountId));
        return error;
    }
}
