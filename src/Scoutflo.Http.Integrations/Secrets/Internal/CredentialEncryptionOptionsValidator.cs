using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Secrets.Internal;

[OptionsValidator]
internal sealed partial class CredentialEncryptionOptionsAttributeValidator : IValidateOptions<CredentialEncryptionOptions>;

/// <summary>
/// Checks the key ring in the options at start: a host that would write secrets it cannot read
/// back must not start. Skipped when the application supplies its own
/// <see cref="ICredentialKeyRingProvider"/> (its keys are not in the options).
/// </summary>
internal sealed class CredentialEncryptionOptionsValidator(IServiceProvider services) : IValidateOptions<CredentialEncryptionOptions>
{
    public ValidateOptionsResult Validate(string? name, CredentialEncryptionOptions options)
    {
        // Resolved here, not injected: the default provider reads these very options.
        if (services.GetService(typeof(ICredentialKeyRingProvider)) is not OptionsCredentialKeyRingProvider)
        {
            return ValidateOptionsResult.Skip;
        }

        var problems = Problems(options).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>What is wrong with the ring in the options; never a key's value.</summary>
    internal static IEnumerable<string> Problems(CredentialEncryptionOptions options)
    {
        if (string.IsNullOrEmpty(options.CurrentKeyId))
        {
            yield return "CredentialEncryptionOptions.CurrentKeyId is required.";
        }
        else if (!options.Keys.ContainsKey(options.CurrentKeyId))
        {
            yield return $"CredentialEncryptionOptions.CurrentKeyId '{options.CurrentKeyId}' is not one of CredentialEncryptionOptions.Keys.";
        }

        foreach (var (id, value) in options.Keys)
        {
            if (!CredentialKeyRing.IsValidKeyId(id))
            {
                yield return $"The key id '{id}' in CredentialEncryptionOptions.Keys is not 1 to 64 characters of A-Z a-z 0-9 _ -.";
                continue;
            }

            var bytes = new byte[CredentialKeyRing.KeySizeInBytes + 3];
            if (value is null || !Convert.TryFromBase64String(value, bytes, out var written) || written != CredentialKeyRing.KeySizeInBytes)
            {
                yield return $"The key '{id}' in CredentialEncryptionOptions.Keys is not {CredentialKeyRing.KeySizeInBytes} bytes in base64.";
            }

            Array.Clear(bytes);
        }
    }
}
