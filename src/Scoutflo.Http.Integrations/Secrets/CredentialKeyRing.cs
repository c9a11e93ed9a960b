using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// A set of AES-256 keys by id: one encrypts (<see cref="CurrentKeyId"/>), all decrypt. Key
/// bytes are copied in and never handed out or printed.
/// </summary>
public sealed partial class CredentialKeyRing
{
    /// <summary>The length of every key: 32 bytes (AES-256).</summary>
    public const int KeySizeInBytes = 32;

    private readonly FrozenDictionary<string, byte[]> _keys;

    /// <summary>Creates a key ring.</summary>
    /// <param name="currentKeyId">The id of the key that encrypts; must be among <paramref name="keys"/>.</param>
    /// <param name="keys">Key id to 32-byte key. Ids are 1 to 64 characters of <c>A-Z a-z 0-9 _ -</c>.</param>
    /// <exception cref="ArgumentException">An id is malformed, a key is not 32 bytes, or the current key is missing.</exception>
    public CredentialKeyRing(string currentKeyId, IEnumerable<KeyValuePair<string, byte[]>> keys)
    {
        ArgumentException.ThrowIfNullOrEmpty(currentKeyId);
        ArgumentNullException.ThrowIfNull(keys);
        var copies = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, key) in keys)
        {
            if (!IsValidKeyId(id))
            {
                throw new ArgumentException($"The key id '{id}' is not 1 to 64 characters of A-Z a-z 0-9 _ -.", nameof(keys));
            }

            if (key is null || key.Length != KeySizeInBytes)
            {
                throw new ArgumentException($"The key '{id}' is not {KeySizeInBytes} bytes.", nameof(keys));
            }

            copies[id] = (byte[])key.Clone();
        }

        if (!copies.ContainsKey(currentKeyId))
        {
            throw new ArgumentException($"The current key id '{currentKeyId}' is not in the key ring.", nameof(currentKeyId));
        }

        CurrentKeyId = currentKeyId;
        _keys = copies.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The id of the key that encrypts.</summary>
    public string CurrentKeyId { get; }

    /// <summary>The ids of every key that decrypts (the current one included).</summary>
    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    /// <summary>Whether a key id is well formed: 1 to 64 characters of <c>A-Z a-z 0-9 _ -</c>.</summary>
    /// <param name="keyId">The id to check.</param>
    public static bool IsValidKeyId(string? keyId) => keyId is not null && KeyIdPattern().IsMatch(keyId);

    /// <summary>Prints the key ids only.</summary>
    public override string ToString() => $"CredentialKeyRing {{ CurrentKeyId = {CurrentKeyId}, KeyIds = [{string.Join(", ", _keys.Keys)}] }}";

    internal byte[]? FindKey(string keyId) => _keys.GetValueOrDefault(keyId);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyIdPattern();
}
