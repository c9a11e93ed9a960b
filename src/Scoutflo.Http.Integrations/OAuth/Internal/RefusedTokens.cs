using System.Security.Cryptography;
using System.Text;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>
/// Access tokens a provider refused (a 401 or its own refusal signal), per token family, so
/// that a refused token read back from the store, the shared cache or a resolved snapshot is
/// never taken for a fresh one and sent again. Cheap and bounded: a fingerprint (not the
/// token), a few per family, for a day (longer than any provider's access-token lifetime), and
/// at most <see cref="MaxFamilies"/> families in all.
/// </summary>
internal sealed class RefusedTokens(TimeProvider timeProvider)
{
    public const int MaxFamilies = 10_000;
    public const int PerFamily = 4;
    public static readonly TimeSpan Remembered = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<string, Entry[]> _families = new(StringComparer.Ordinal);
    private readonly Lock _writes = new();

    public int Count => _families.Count;

    public void Remember(string family, string token)
    {
        var now = timeProvider.GetUtcNow();
        var entry = new Entry(Fingerprint(token), now + Remembered);
        lock (_writes)
        {
            var kept = _families.TryGetValue(family, out var existing)
                ? existing.Where(e => e.Until > now && e.Fingerprint != entry.Fingerprint).TakeLast(PerFamily - 1)
                : [];
            _families[family] = [.. kept, entry];
            if (_families.Count > MaxFamilies)
            {
                Trim(now);
            }
        }
    }

    public bool IsRefused(string family, string token)
    {
        if (!_families.TryGetValue(family, out var entries))
        {
            return false;
        }

        var now = timeProvider.GetUtcNow();
        var fingerprint = Fingerprint(token);
        foreach (var entry in entries)
        {
            if (entry.Until > now && entry.Fingerprint == fingerprint)
            {
                return true;
            }
        }

        return false;
    }

    // Expired families first; then the ones that expire soonest.
    private void Trim(DateTimeOffset now)
    {
        foreach (var (family, entries) in _families)
        {
            if (entries.All(e => e.Until <= now))
            {
                _families.TryRemove(family, out _);
            }
        }

        var excess = _families.Count - MaxFamilies;
        if (excess > 0)
        {
            foreach (var family in _families.OrderBy(f => f.Value.Max(e => e.Until)).Take(excess).Select(f => f.Key).ToList())
            {
                _families.TryRemove(family, out _);
            }
        }
    }

    private static string Fingerprint(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private readonly record struct Entry(string Fingerprint, DateTimeOffset Until);
}
