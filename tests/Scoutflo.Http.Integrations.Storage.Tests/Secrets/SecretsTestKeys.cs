using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Scoutflo.Http.Integrations.Secrets.Internal;

namespace Scoutflo.Http.Integrations.Storage.Tests.Secrets;

/// <summary>Key rings and protectors for the encryption tests; the ring can be swapped (a rotation).</summary>
internal sealed class SecretsTestKeys : ICredentialKeyRingProvider, IOptionsMonitor<CredentialEncryptionOptions>
{
    public SecretsTestKeys(string current = "k1", params string[] others) => Use(current, others);

    public CredentialKeyRing Ring { get; private set; } = null!;

    public CredentialEncryptionOptions Options { get; } = new() { MigrationPageSize = 500 };

    public CredentialEncryptionOptions CurrentValue => Options;

    public static byte[] KeyBytes(string id) => System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("test-key:" + id));

    /// <summary>Makes <paramref name="current"/> the encrypting key; <paramref name="others"/> still decrypt.</summary>
    public void Use(string current, params string[] others) =>
        Ring = new CredentialKeyRing(current, others.Append(current).Distinct().Select(id => KeyValuePair.Create(id, KeyBytes(id))));

    public CredentialProtector Protector(ILogger<CredentialProtector>? logger = null) =>
        new(this, this, logger ?? NullLogger<CredentialProtector>.Instance);

    public ValueTask<CredentialKeyRing> GetKeyRingAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(Ring);

    public CredentialEncryptionOptions Get(string? name) => Options;

    public IDisposable? OnChange(Action<CredentialEncryptionOptions, string?> listener) => null;
}
