using Scoutflo.Http.Integrations.Model.Internal;

namespace Scoutflo.Http.Integrations.Auth.Internal;

internal static class CredentialRules
{
    public static string Require(Integration integration, string field)
    {
        var value = integration.GetCredential(field);
        if (value is not null)
        {
            // Whoever wrote the record, a CR or LF must never reach a header.
            return StoredValueRules.HasControlCharacter(value)
                ? throw new IntegrationException(IntegrationErrorCodes.CredentialsInvalid,
                    $"The integration's credential '{field}' contains a control character.")
                {
                    IntegrationId = integration.Id.Length == 0 ? null : integration.Id,
                    Provider = integration.Provider,
                }
                : value;
        }

        // Names the missing field, never a value.
        throw new IntegrationException(IntegrationErrorCodes.CredentialsMissing,
            $"The {integration.AuthType} credentials of this {integration.Provider} integration lack '{field}'.")
        {
            IntegrationId = integration.Id.Length == 0 ? null : integration.Id,
            Provider = integration.Provider,
        };
    }

    public static IntegrationException Invalid(Integration integration, string message) =>
        new(IntegrationErrorCodes.RecordInvalid, message)
        {
            IntegrationId = integration.Id.Length == 0 ? null : integration.Id,
            Provider = integration.Provider,
        };
}
