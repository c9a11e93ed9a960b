using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Secrets.Internal;

/// <summary>
/// The default key ring: <see cref="CredentialEncryptionOptions.Keys"/> and
/// <see cref="CredentialEncryptionOptions.CurrentKeyId"/>, decoded once and again only when the
/// options change (a key added by configuration reload takes effect without a restart).
/// </summary>
internal sealed class OptionsCredentialKeyRingProvider : ICredentialKeyRingProvider, IDisposable
{
    private readonly IOptionsMonitor<CredentialEncryptionOptions> _options;
    private readonly IDisposable? _subscription;
    private volatile CredentialKeyRing? _ring;

    public OptionsCredentialKeyRingProvider(IOptionsMonitor<CredentialEncryptionOptions> options)
    {
        _options = options;
        _subscription = options.OnChange(_ => _ring = null);
    }

    public ValueTask<CredentialKeyRing> GetKeyRingAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_ring ??= Build(_options.CurrentValue));

    public void Dispose() => _subscription?.Dispose();

    /// <exception cref="InvalidOperationException">The options hold no usable ring (the validator says which part).</exception>
    internal static CredentialKeyRing Build(CredentialEncryptionOptions options)
    {
        if (CredentialEncryptionOptionsValidator.Problems(options).FirstOrDefault() is { } problem)
        {
            throw new InvalidOperationException($"Credential encryption is on but its key ring cannot be built: {problem}");
        }

        return new CredentialKeyRing(options.CurrentKeyId!, options.Keys.Select(k => KeyValuePair.Create(k.Key, Convert.FromBase64String(k.Value))));
    }
}
