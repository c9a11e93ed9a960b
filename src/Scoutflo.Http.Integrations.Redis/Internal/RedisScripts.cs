namespace Scoutflo.Http.Integrations.Redis.Internal;

/// <summary>The Lua scripts that make compare-and-act atomic on the server.</summary>
internal static class RedisScripts
{
    /// <summary>Deletes KEYS[1] only if it holds ARGV[1]; returns 1 when deleted.</summary>
    public const string DeleteIfEquals = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    /// <summary>Sets KEYS[1]'s TTL to ARGV[2] milliseconds only if it holds ARGV[1]; returns 1 when extended.</summary>
    public const string ExtendIfEquals = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return 0
        """;
}
