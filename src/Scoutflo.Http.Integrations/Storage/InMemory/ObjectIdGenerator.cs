using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Scoutflo.Http.Integrations.Storage.InMemory;

/// <summary>
/// Integration ids of the shape MongoDB and Mongoose give (<c>_id</c> as 24 lowercase hex
/// characters): 4 bytes of seconds since the Unix epoch (big-endian, from the store's
/// <see cref="TimeProvider"/>), 5 random bytes chosen once per process, and a 3-byte counter
/// starting at a random value. Ids made here are accepted unchanged by the MongoDB store, so
/// code and data moved from the in-memory default to <c>UseMongoDb</c> keep their ids; the core
/// needs no MongoDB package for it.
/// </summary>
internal static class ObjectIdGenerator
{
    private static readonly byte[] ProcessRandom = RandomNumberGenerator.GetBytes(5);
    private static int _counter = RandomNumberGenerator.GetInt32(0x1000000);

    /// <summary>A new id stamped with <paramref name="timeProvider"/>'s current second.</summary>
    public static string NewId(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        Span<byte> bytes = stackalloc byte[12];

        // uint: the field wraps in 2106, as MongoDB's does.
        BinaryPrimitives.WriteUInt32BigEndian(bytes, unchecked((uint)timeProvider.GetUtcNow().ToUnixTimeSeconds()));
        ProcessRandom.CopyTo(bytes[4..]);
        var counter = Interlocked.Increment(ref _counter) & 0xFFFFFF;
        bytes[9] = (byte)(counter >> 16);
        bytes[10] = (byte)(counter >> 8);
        bytes[11] = (byte)counter;
        return Convert.ToHexStringLower(bytes);
    }
}
