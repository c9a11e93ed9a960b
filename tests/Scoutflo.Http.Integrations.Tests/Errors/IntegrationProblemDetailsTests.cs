using System.Net;
using System.Reflection;
using System.Text.Json;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Errors;

/// <summary>IntegrationException as RFC 9457 problem details: status per code, errorCode member, no secrets.</summary>
public sealed class IntegrationProblemDetailsTests
{
    private static IEnumerable<string> AllCodes() =>
        typeof(IntegrationErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!);

    [Theory]
    [InlineData(IntegrationErrorCodes.IdInvalid, 400)]
    [InlineData(IntegrationErrorCodes.StateInvalid, 400)]
    [InlineData(IntegrationErrorCodes.AuthorizationDenied, 403)]
    [InlineData(IntegrationErrorCodes.NotFound, 404)]
    [InlineData(IntegrationErrorCodes.StateReplayed, 409)]
    [InlineData(IntegrationErrorCodes.VersionConflict, 409)]
    [InlineData(IntegrationErrorCodes.ReauthorizationRequired, 424)]
    [InlineData(IntegrationErrorCodes.ProviderRequestFailed, 424)]
    [InlineData(IntegrationErrorCodes.LockUnavailable, 503)]
    [InlineData(IntegrationErrorCodes.TokenEndpointUnavailable, 503)]
    [InlineData(IntegrationErrorCodes.IdMissing, 500)]
    [InlineData(IntegrationErrorCodes.ProviderNotRegistered, 500)]
    [InlineData("some_future_code", 500)]
    public void StatusCodeFor_Code_IsTheDocumentedStatus(string code, int status) =>
        Assert.Equal(status, IntegrationProblemDetails.StatusCodeFor(code));

    [Fact]
    public void StatusCodeFor_EveryCode_IsAClientOrDependencyStatusUnlessItIsTheApplicationsOwnFault()
    {
        // 500 says "the application has a bug"; only these codes mean that (a provider the
        // application never added is its own registration's fault, not the record's; so is a
        // stored secret under a key the application's key ring lacks).
        string[] applicationFaults = [IntegrationErrorCodes.IdMissing, IntegrationErrorCodes.HostNotAllowed, IntegrationErrorCodes.ProviderNotRegistered, IntegrationErrorCodes.CredentialsKeyUnknown];

        var unmapped = AllCodes().Where(c => IntegrationProblemDetails.StatusCodeFor(c) == 500).Except(applicationFaults).ToList();

        Assert.Empty(unmapped);
    }

    [Fact]
    public void Readme_ErrorTable_GivesEachCodeItsStatus()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var rows = readme.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();

        foreach (var code in AllCodes())
        {
            var row = rows.FirstOrDefault(r => r.Contains($"`{code}`", StringComparison.Ordinal));
            Assert.True(row is not null, $"README.md's error-code table has no row for {code}");
            Assert.Contains($"| {IntegrationProblemDetails.StatusCodeFor(code)} |", row, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ToProblemDetails_ReplayedState_Is409WithTheErrorCodeAsAnExtensionMember()
    {
        var error = new OAuthStateException(IntegrationErrorCodes.StateReplayed, "This install link was already used; start the install again.") { Provider = "jira" };

        var json = JsonSerializer.SerializeToElement(error.ToProblemDetails());

        Assert.Equal(409, json.GetProperty("status").GetInt32());
        Assert.Equal("Conflict", json.GetProperty("title").GetString());
        Assert.Equal("about:blank", json.GetProperty("type").GetString());
        Assert.Equal("oauth_state_replayed", json.GetProperty("errorCode").GetString());
        Assert.Equal("jira", json.GetProperty("provider").GetString());
        Assert.Equal(error.Message, json.GetProperty("detail").GetString());
        Assert.False(json.TryGetProperty("integrationId", out _));
    }

    [Fact]
    public void ToProblemDetails_SiteSelectionRequired_NeverCarriesTheSelectionHandle()
    {
        const string handle = "SELECTION-HANDLE-SECRET";
        var error = new AtlassianSiteSelectionRequiredException("jira",
            [new AtlassianSite("cloud-1", "Acme", new Uri("https://acme.atlassian.net"), [], null)], handle, DateTimeOffset.UnixEpoch);

        var json = JsonSerializer.Serialize(error.ToProblemDetails());

        Assert.Contains("atlassian_site_selection_required", json, StringComparison.Ordinal);
        Assert.DoesNotContain(handle, json, StringComparison.Ordinal);
    }

    [Fact]
    public void ToProblemDetails_TokenRequestRefused_CarriesTheProvidersErrorCodeNotTheInnerException()
    {
        var error = new OAuthTokenRequestException(IntegrationErrorCodes.TokenRequestFailed, "The token endpoint refused the client.",
            HttpStatusCode.Unauthorized, "invalid_client", new InvalidOperationException("client_secret=SECRET-123"));

        var json = JsonSerializer.Serialize(error.ToProblemDetails());

        Assert.Contains("\"providerError\":\"invalid_client\"", json, StringComparison.Ordinal);
        Assert.Contains("\"status\":424", json, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-123", json, StringComparison.Ordinal);
    }
}
