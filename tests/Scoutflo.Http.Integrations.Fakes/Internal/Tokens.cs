using System.Security.Cryptography;

namespace Scoutflo.Http.Integrations.Fakes.Internal;

/// <summary>Unguessable opaque token values with a readable prefix.</summary>
internal static class Tokens
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static string New(string prefix, int length = 40) =>
        prefix + RandomNumberGenerator.GetString(Alphabet, length);

    public static string Digits(int length) => RandomNumberGenerator.GetString("0123456789", length);
}
