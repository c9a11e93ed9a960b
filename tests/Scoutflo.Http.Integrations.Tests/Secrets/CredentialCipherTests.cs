using System.Buffers.Text;
using Scoutflo.Http.Integrations.Secrets.Internal;

namespace Scoutflo.Http.Integrations.Tests.Secrets;

public sealed class CredentialCipherTests
{
    private const string IntegrationId = "65f1a2b3c4d5e6f708192a3b";

    internal static byte[] KeyBytes(byte fill) => Enumerable.Repeat(fill, CredentialKeyRing.KeySizeInBytes).ToArray();

    internal static CredentialKeyRing Ring(string current, params string[] ids) =>
        new(current, ids.Select((id, i) => KeyValuePair.Create(id, KeyBytes((byte)(i + 1)))));

    [Fact]
    public void Encrypt_Value_IsASelfDescribingEnvelopeWithoutThePlainText()
    {
        var ring = Ring("k1", "k1");

        var envelope = CredentialCipher.Encrypt(ring, "xoxb-secret-token", CredentialCipher.CredentialContext(IntegrationId, "access_token"));

        Assert.StartsWith("scoutflo-enc:v1:k1:", envelope, StringComparison.Ordinal);
        Assert.DoesNotContain("xoxb", envelope, StringComparison.Ordinal);
        Assert.True(CredentialCipher.IsEncrypted(envelope));
        Assert.Equal("k1", CredentialCipher.KeyIdOf(envelope));

        // nonce (12) + tag (16) + one byte per ASCII character.
        var payload = Base64Url.DecodeFromChars(envelope.AsSpan("scoutflo-enc:v1:k1:".Length));
        Assert.Equal(12 + 16 + "xoxb-secret-token".Length, payload.Length);
    }

    [Fact]
    public void Encrypt_SameValueTwice_GivesDifferentEnvelopesThatBothDecrypt()
    {
        var ring = Ring("k1", "k1");
        var context = CredentialCipher.CredentialContext(IntegrationId, "api_key");

        var first = CredentialCipher.Encrypt(ring, "key-1", context);
        var second = CredentialCipher.Encrypt(ring, "key-1", context);

        Assert.NotEqual(first, second);
        Assert.Equal(DecryptResult.Ok, CredentialCipher.TryDecrypt(ring, first, context, out var a));
        Assert.Equal(DecryptResult.Ok, CredentialCipher.TryDecrypt(ring, second, context, out var b));
        Assert.Equal("key-1", a);
        Assert.Equal("key-1", b);
    }

    [Fact]
    public void TryDecrypt_NonAsciiValue_RoundTrips()
    {
        var ring = Ring("k1", "k1");
        var context = CredentialCipher.CacheContext("integration:slack:x:app_user:a:access_token");

        var envelope = CredentialCipher.Encrypt(ring, "pässwörd-🔑", context);

        Assert.Equal(DecryptResult.Ok, CredentialCipher.TryDecrypt(ring, envelope, context, out var plain));
        Assert.Equal("pässwörd-🔑", plain);
    }

    [Theory]
    [InlineData("65f1a2b3c4d5e6f708192a3c", "access_token")]
    [InlineData(IntegrationId, "refresh_token")]
    public void TryDecrypt_OtherRecordOrField_FailsAuthentication(string otherId, string otherField)
    {
        var ring = Ring("k1", "k1");
        var envelope = CredentialCipher.Encrypt(ring, "at-1", CredentialCipher.CredentialContext(IntegrationId, "access_token"));

        var result = CredentialCipher.TryDecrypt(ring, envelope, CredentialCipher.CredentialContext(otherId, otherField), out var plain);

        Assert.Equal(DecryptResult.AuthenticationFailed, result);
        Assert.Equal(string.Empty, plain);
    }

    [Fact]
    public void TryDecrypt_CacheValueReadAsOneTimeValue_FailsAuthentication()
    {
        var ring = Ring("k1", "k1");
        var envelope = CredentialCipher.Encrypt(ring, "at-1", CredentialCipher.CacheContext("k"));

        Assert.Equal(DecryptResult.AuthenticationFailed, CredentialCipher.TryDecrypt(ring, envelope, CredentialCipher.OneTimeContext("k"), out _));
    }

    [Fact]
    public void TryDecrypt_OneFlippedBit_FailsAuthentication()
    {
        var ring = Ring("k1", "k1");
        var context = CredentialCipher.CredentialContext(IntegrationId, "password");
        var envelope = CredentialCipher.Encrypt(ring, "hunter2", context);
        var prefix = "scoutflo-enc:v1:k1:";
        var payload = Base64Url.DecodeFromChars(envelope.AsSpan(prefix.Length));
        payload[^1] ^= 0x01;
        var tampered = prefix + Base64Url.EncodeToString(payload);

        Assert.Equal(DecryptResult.AuthenticationFailed, CredentialCipher.TryDecrypt(ring, tampered, context, out _));
    }

    [Fact]
    public void TryDecrypt_HeaderRelabelledToAnotherKnownKey_FailsAuthentication()
    {
        // Both keys known: a relabelled envelope must not decrypt under the other one even if
        // the key bytes happened to be equal, because the key id is part of the associated data.
        var ring = new CredentialKeyRing("k1", [KeyValuePair.Create("k1", KeyBytes(7)), KeyValuePair.Create("k2", KeyBytes(7))]);
        var context = CredentialCipher.CredentialContext(IntegrationId, "token");
        var envelope = CredentialCipher.Encrypt(ring, "t", context);

        var relabelled = envelope.Replace(":v1:k1:", ":v1:k2:", StringComparison.Ordinal);

        Assert.Equal(DecryptResult.AuthenticationFailed, CredentialCipher.TryDecrypt(ring, relabelled, context, out _));
    }

    [Fact]
    public void TryDecrypt_KeyIdNotInTheRing_SaysKeyUnknown()
    {
        var context = CredentialCipher.CredentialContext(IntegrationId, "token");
        var envelope = CredentialCipher.Encrypt(Ring("old", "old"), "t", context);

        Assert.Equal(DecryptResult.KeyUnknown, CredentialCipher.TryDecrypt(Ring("new", "new"), envelope, context, out _));
    }

    [Fact]
    public void TryDecrypt_AfterRotation_OldKeyStillDecryptsAndNewValuesUseTheNewKey()
    {
        var context = CredentialCipher.CredentialContext(IntegrationId, "token");
        var before = CredentialCipher.Encrypt(Ring("k1", "k1", "k2"), "t-old", context);
        var rotated = Ring("k2", "k1", "k2");

        var after = CredentialCipher.Encrypt(rotated, "t-new", context);

        Assert.Equal(DecryptResult.Ok, CredentialCipher.TryDecrypt(rotated, before, context, out var old));
        Assert.Equal("t-old", old);
        Assert.Equal("k2", CredentialCipher.KeyIdOf(after));
    }

    [Theory]
    [InlineData("scoutflo-enc:v2:k1:AAAA")]
    [InlineData("scoutflo-enc:v1:k1:!!not-base64!!")]
    [InlineData("scoutflo-enc:v1:k1:AAAA")]
    [InlineData("scoutflo-enc:v1:")]
    [InlineData("scoutflo-enc:v1:bad key:AAAA")]
    public void TryDecrypt_MalformedEnvelope_SaysMalformed(string value)
    {
        Assert.Equal(DecryptResult.Malformed, CredentialCipher.TryDecrypt(Ring("k1", "k1"), value, "ctx", out _));
    }

    [Fact]
    public void IsEncrypted_PlainValue_IsFalse()
    {
        Assert.False(CredentialCipher.IsEncrypted("ATATT3xFfGF0-plain-api-token"));
        Assert.Null(CredentialCipher.KeyIdOf("ATATT3xFfGF0-plain-api-token"));
    }

    [Fact]
    public void CredentialKeyRing_BadInput_IsRefusedWithoutTheKey()
    {
        Assert.Throws<ArgumentException>(() => new CredentialKeyRing("k1", [KeyValuePair.Create("k1", new byte[16])]));
        Assert.Throws<ArgumentException>(() => new CredentialKeyRing("k9", [KeyValuePair.Create("k1", KeyBytes(1))]));
        Assert.Throws<ArgumentException>(() => new CredentialKeyRing("k:1", [KeyValuePair.Create("k:1", KeyBytes(1))]));
        Assert.Equal("CredentialKeyRing { CurrentKeyId = k1, KeyIds = [k1] }", Ring("k1", "k1").ToString());
    }
}
