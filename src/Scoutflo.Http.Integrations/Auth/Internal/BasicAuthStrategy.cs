using System.Text;

namespace Scoutflo.Http.Integrations.Auth.Internal;

/// <summary>HTTP Basic (for Atlassian: the account email and an API token).</summary>
internal sealed class BasicAuthStrategy : IAuthStrategy
{
    public string AuthType => IntegrationAuthTypes.Basic;

    public void Validate(Integration integration, ProviderProfile provider)
    {
        var username = CredentialRules.Require(integration, IntegrationCredentialKeys.Username);
        CredentialRules.Require(integration, IntegrationCredentialKeys.Password);
        if (username.Contains(':', StringComparison.Ordinal))
        {
            throw CredentialRules.Invalid(integration, "A Basic-auth user name cannot contain ':'.");
        }
    }

    public ICredentialApplier CreateApplier(Integration integration, ProviderProfile provider)
    {
        var username = CredentialRules.Require(integration, IntegrationCredentialKeys.Username);
        var password = CredentialRules.Require(integration, IntegrationCredentialKeys.Password);
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
        return new HeaderCredentialApplier([new("Authorization", "Basic " + encoded)]);
    }
}
