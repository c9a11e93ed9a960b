using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Architecture;

/// <summary>
/// A provider's error codes get their HTTP status from the provider's folder, not from the core
/// status table: the core's <c>StatusCodeFor</c> reads what the provider folders declare, and the
/// statuses themselves stay as documented.
/// </summary>
public sealed class ProviderErrorStatusTests
{
    [Fact]
    public void CoreStatusTable_NamesNoProvidersCode()
    {
        var table = File.ReadAllText(Path.Combine(RepositoryPaths.CoreSources, "Errors", "IntegrationProblemDetails.cs"));

        Assert.DoesNotContain("IntegrationErrorCodes.Atlassian", table, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IntegrationErrorCodes.AtlassianSiteSelectionInvalid, 400)]
    [InlineData(IntegrationErrorCodes.AtlassianSiteUnknown, 400)]
    [InlineData(IntegrationErrorCodes.AtlassianSiteSelectionRequired, 409)]
    [InlineData(IntegrationErrorCodes.AtlassianNoAccessibleResources, 424)]
    public void StatusCodeFor_AtlassianCode_KeepsItsDocumentedStatus(string code, int status) =>
        Assert.Equal(status, IntegrationProblemDetails.StatusCodeFor(code));

    [Fact]
    public void StatusCodeFor_AtlassianCodes_AreDeclaredInTheAtlassianFolder()
    {
        var folder = Path.Combine(RepositoryPaths.CoreSources, "Providers", "Atlassian");
        var declared = string.Concat(Directory.EnumerateFiles(folder, "*.cs").Select(File.ReadAllText));

        foreach (var code in new[]
        {
            nameof(IntegrationErrorCodes.AtlassianSiteSelectionInvalid), nameof(IntegrationErrorCodes.AtlassianSiteUnknown),
            nameof(IntegrationErrorCodes.AtlassianSiteSelectionRequired), nameof(IntegrationErrorCodes.AtlassianNoAccessibleResources),
        })
        {
            Assert.Contains($"[assembly: ErrorStatus(IntegrationErrorCodes.{code},", declared, StringComparison.Ordinal);
        }
    }
}
