using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Connections;

/// <summary>The record and the exceptions are safe to log: they never print a credential value.</summary>
public sealed class IntegrationTests
{
    private static readonly Integration Record = Records.Custom(
        IntegrationAuthTypes.MappedCredentials,
        new Dictionary<string, string> { ["api_key"] = "mk-SECRET-1", ["api_secret"] = "ms-SECRET-2" },
        new Dictionary<string, string> { [IntegrationMetadataKeys.CredentialHeaders] = "X-Api-Key=api_key,X-Api-Secret=api_secret" })
        with { Id = "66dd000000000000000000a1", Version = 3 };

    [Fact]
    public void ToString_RecordWithCredentials_NamesTheFieldsButNoValue()
    {
        var text = Record.ToString();

        Assert.DoesNotContain("mk-SECRET-1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ms-SECRET-2", text, StringComparison.Ordinal);
        Assert.Contains("api_key", text, StringComparison.Ordinal);
        Assert.Contains("66dd000000000000000000a1", text, StringComparison.Ordinal);
        Assert.Contains("Version = 3", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_InterpolatedOrInACollection_StillHidesTheValues()
    {
        var text = $"{Record} {string.Join(",", new[] { Record })} {new { Record }}";

        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api_key", "mk-SECRET-1")]
    [InlineData("missing", null)]
    public void GetCredential_Field_ReturnsItsValueOrNull(string field, string? expected) =>
        Assert.Equal(expected, Record.GetCredential(field));

    [Fact]
    public void GetCredential_EmptyValue_ReturnsNull() =>
        Assert.Null((Record with { Credentials = new Dictionary<string, string> { ["token"] = string.Empty } }).GetCredential("token"));

    [Fact]
    public void ExceptionMessages_EveryTypedException_CarryTheCodeAndNoSecret()
    {
        IntegrationException[] errors =
        [
            new IntegrationNotFoundException(Record.Id),
            new IntegrationConcurrencyException(Record.Id, 3),
            new IntegrationHostNotAllowedException(Record.Id, "https://evil.test", "https://api.example.test"),
        ];

        Assert.Equal(
            ["integration_not_found", "integration_version_conflict", "integration_host_not_allowed"],
            errors.Select(e => e.ErrorCode));
        Assert.All(errors, e =>
        {
            Assert.Equal(Record.Id, e.IntegrationId);
            Assert.DoesNotContain("SECRET", e.ToString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void IntegrationException_EmptyCode_Rejected() =>
        Assert.Throws<ArgumentException>(() => new IntegrationException(string.Empty, "message"));
}
