using System.Buffers.Binary;
using Microsoft.Extensions.Time.Testing;
using Scoutflo.Http.Integrations.Storage.InMemory;

namespace Scoutflo.Http.Integrations.Tests.Storage.InMemory;

/// <summary>The in-memory store's ids have the shape Mongoose gives, without a MongoDB package.</summary>
public sealed class ObjectIdGeneratorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 9, 30, 15, 750, TimeSpan.Zero);

    [Fact]
    public void NewId_Any_IsTwentyFourLowercaseHexCharacters()
    {
        var id = ObjectIdGenerator.NewId(new FakeTimeProvider(Now));

        Assert.Matches("^[0-9a-f]{24}$", id);
    }

    [Fact]
    public void NewId_FirstFourBytes_AreTheClocksUnixSecondsBigEndian()
    {
        var time = new FakeTimeProvider(Now);

        var first = Convert.FromHexString(ObjectIdGenerator.NewId(time));
        time.Advance(TimeSpan.FromSeconds(90));
        var later = Convert.FromHexString(ObjectIdGenerator.NewId(time));

        Assert.Equal((uint)Now.ToUnixTimeSeconds(), BinaryPrimitives.ReadUInt32BigEndian(first));
        Assert.Equal((uint)Now.ToUnixTimeSeconds() + 90, BinaryPrimitives.ReadUInt32BigEndian(later));
    }

    [Fact]
    public void NewId_Consecutive_ShareTheFiveRandomBytesAndCountUpByOne()
    {
        var time = new FakeTimeProvider(Now);

        var ids = Enumerable.Range(0, 3).Select(_ => Convert.FromHexString(ObjectIdGenerator.NewId(time))).ToList();

        Assert.All(ids, id => Assert.Equal(ids[0][4..9], id[4..9]));
        var counters = ids.Select(id => (id[9] << 16) | (id[10] << 8) | id[11]).ToList();

        // Other tests of this process may take ids in between: the 3-byte counter moves up by
        // one per id, wrapping at 2^24, so each step here is at least one and small.
        Assert.All(counters.Zip(counters.Skip(1)), pair => Assert.InRange((pair.Second - pair.First) & 0xFFFFFF, 1, 10_000));
    }

    [Fact]
    public void NewId_ThousandsInOneSecond_AreAllDistinct()
    {
        var time = new FakeTimeProvider(Now);

        var ids = Enumerable.Range(0, 5000).Select(_ => ObjectIdGenerator.NewId(time)).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(5000, ids.Count);
    }
}
