namespace Scoutflo.Http.Integrations.Tests.Connections;

public sealed class IntegrationUpdateTests
{
    private static readonly Integration Read = new()
    {
        Id = "66aa000000000000000000e5",
        Provider = IntegrationProviders.Jira,
        AccountId = "acct-1",
        AuthType = IntegrationAuthTypes.OAuth2,
        Version = 3,
    };

    [Fact]
    public void Constructor_SameRecord_KeepsBoth()
    {
        var updated = Read with { Status = IntegrationStatus.Disabled };

        var update = new IntegrationUpdate(Read, updated);

        Assert.Same(Read, update.Current);
        Assert.Same(updated, update.Updated);
    }

    [Fact]
    public void Constructor_NewContentNamesAnotherRecord_IsRefusedNamingBoth()
    {
        var error = Assert.Throws<ArgumentException>(() => new IntegrationUpdate(Read, Read with { Id = "66aa000000000000000000e6" }));

        Assert.Equal("updated", error.ParamName);
        Assert.Contains("66aa000000000000000000e5", error.Message, StringComparison.Ordinal);
        Assert.Contains("66aa000000000000000000e6", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RecordWithoutId_IsRefused()
    {
        var unsaved = Read with { Id = string.Empty };

        Assert.Throws<ArgumentException>(() => new IntegrationUpdate(unsaved, unsaved));
    }
}
