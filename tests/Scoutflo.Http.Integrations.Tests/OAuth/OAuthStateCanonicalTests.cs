using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.OAuth;

/// <summary>A callback's state is accepted only in the exact encoding the library emitted: no padding, no whitespace, nothing added.</summary>
public sealed class OAuthStateCanonicalTests
{
    [Theory]
    [InlineData("padding")]
    [InlineData("space inside")]
    [InlineData("trailing space")]
    [InlineData("trailing newline")]
    [InlineData("leading tab")]
    [InlineData("crlf inside the signature")]
    public async Task HandleCallback_StateNotInItsCanonicalEncoding_IsInvalidAndSpendsNothing(string variant)
    {
        await using var harness = new AtlassianHarness();
        var callback = await harness.ConsentAsync();
        var state = callback.State!;
        var dot = state.IndexOf('.', StringComparison.Ordinal);
        var altered = variant switch
        {
            // The signature is 32 bytes: 43 base64url characters, which a padded encoder ends with '='.
            "padding" => state + "=",
            "space inside" => state[..5] + " " + state[5..],
            "trailing space" => state + " ",
            "trailing newline" => state + "\n",
            "leading tab" => "\t" + state,
            _ => state[..(dot + 10)] + "\r\n" + state[(dot + 10)..],
        };

        var error = await Assert.ThrowsAsync<OAuthStateException>(() =>
            harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, new OAuthCallback { Code = callback.Code, State = altered }));

        Assert.Equal(IntegrationErrorCodes.StateInvalid, error.ErrorCode);
        Assert.Equal(0, harness.Fake.CodeExchangeCalls);

        // Refused before the nonce or the code were spent: the canonical state still completes.
        var installed = await harness.Install.HandleCallbackAndSaveAsync(IntegrationProviders.Jira, callback);
        Assert.Equal(IntegrationProviders.Jira, installed.Provider);
    }
}
