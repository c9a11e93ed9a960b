namespace Scoutflo.Http.Integrations.Auth.Internal;

/// <summary>A long-lived token sent as <c>Authorization: Bearer</c> (e.g. a Sentry auth token, a Slack bot token without rotation).</summary>
internal sealed class BearerAuthStrategy : IAuthStrategy
{
    public string AuthType => IntegrationAuthTypes.Bearer;

    public void Validate(Integration integration, ProviderProfile provider) =>
        CredentialRules.Require(integration, IntegrationCredentialKeys.Token);

    public ICredentialApplier CreateApplier(Integration integration, ProviderProfile provider) =>
        new HeaderCredentialApplier(
        [
            new("Authorization", "Bearer " + CredentialRules.Require(integration, IntegrationCredentialKeys.Token)),
        ]);
}
