namespace Scoutflo.Http.Integrations.Tests.Http;

public class SmokeTests
{
    [Fact]
    public void Placeholder_IsInvalidTld() =>
        Assert.EndsWith(".invalid", ResolvedConnection.PlaceholderBaseAddress.Host, StringComparison.Ordinal);
}
