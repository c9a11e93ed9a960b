using System.Buffers;

namespace Scoutflo.Http.Integrations.Model.Internal;

/// <summary>
/// The shape of an integration id: 24 hexadecimal characters, the text of the ObjectId that
/// MongoDB (and Mongoose, in the TypeScript SDK) keeps in <c>_id</c>. Checked without a MongoDB
/// package: the core carries no driver.
/// </summary>
internal static class IntegrationIdFormat
{
    /// <summary>The length of an id: 12 bytes as hex.</summary>
    public const int Length = 24;

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Whether <paramref name="id"/> is 24 hexadecimal characters (either case, as MongoDB parses them).</summary>
    public static bool IsValid(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.Length == Length && !id.AsSpan().ContainsAnyExcept(HexDigits);
    }
}
