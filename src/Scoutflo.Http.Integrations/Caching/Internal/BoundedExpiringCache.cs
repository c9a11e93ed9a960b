namespace Scoutflo.Http.Integrations.Caching.Internal;

/// <summary>
/// An in-process map whose entries expire (on the injected <see cref="TimeProvider"/>) and whose
/// size is bounded. Expired entries are removed when read and by a sweep that runs at most once
/// per sweep interval when entries are added, so that memory is freed, not only hidden; when the
/// map grows past its limit, the expired entries go first, then those closest to expiry (the oldest first among equals), down to
/// nine tenths of the limit (so that eviction is paid for in batches, not on every add).
/// </summary>
internal sealed class BoundedExpiringCache<TValue>
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly Func<int> _sizeLimit;
    private readonly Func<TimeSpan> _sweepInterval;
    private readonly Lock _sweepGate = new();
    private long _nextSweepTimestamp;
    private long _sequence;

    public BoundedExpiringCache(TimeProvider timeProvider, Func<int> sizeLimit, Func<TimeSpan> sweepInterval)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(sizeLimit);
        ArgumentNullException.ThrowIfNull(sweepInterval);
        _timeProvider = timeProvider;
        _sizeLimit = sizeLimit;
        _sweepInterval = sweepInterval;
        _nextSweepTimestamp = timeProvider.GetTimestamp();
    }

    public int Count => _entries.Count;

    public bool TryGet(string key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (_timeProvider.GetTimestamp() < entry.ExpiresAtTimestamp)
            {
                value = entry.Value;
                return true;
            }

            // Only this expired entry: a newer one set meanwhile stays.
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }

        value = default!;
        return false;
    }

    public void Set(string key, TValue value, TimeSpan timeToLive)
    {
        if (timeToLive <= TimeSpan.Zero)
        {
            return;
        }

        var now = _timeProvider.GetTimestamp();
        _entries[key] = new Entry(value, now + ToTicks(timeToLive), Interlocked.Increment(ref _sequence));
        if (_entries.Count > _sizeLimit() || now >= Volatile.Read(ref _nextSweepTimestamp))
        {
            Sweep(now);
        }
    }

    /// <summary>Removes the entry only if <paramref name="match"/> accepts its value (compare and delete).</summary>
    public bool TryRemove(string key, Func<TValue, bool> match)
    {
        return _entries.TryGetValue(key, out var entry)
            && match(entry.Value)
            && _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
    }

    public bool TryRemove(string key) => _entries.TryRemove(key, out _);

    public void Clear() => _entries.Clear();

    private void Sweep(long now)
    {
        if (!_sweepGate.TryEnter())
        {
            return; // another thread sweeps right now
        }

        try
        {
            _nextSweepTimestamp = now + ToTicks(_sweepInterval());
            foreach (var (key, entry) in _entries)
            {
                if (entry.ExpiresAtTimestamp <= now)
                {
                    _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
                }
            }

            var limit = _sizeLimit();
            var excess = _entries.Count - (limit - (limit / 10));
            if (_entries.Count <= limit || excess <= 0)
            {
                return;
            }

            foreach (var (key, entry) in _entries.ToArray().OrderBy(e => e.Value.ExpiresAtTimestamp).ThenBy(e => e.Value.Sequence).Take(excess))
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }
        finally
        {
            _sweepGate.Exit();
        }
    }

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _timeProvider.TimestampFrequency);

    // A class, so that compare-and-remove compares this very entry, not an equal value.
    private sealed class Entry(TValue value, long expiresAtTimestamp, long sequence)
    {
        public TValue Value { get; } = value;

        public long ExpiresAtTimestamp { get; } = expiresAtTimestamp;

        /// <summary>Order of insertion: of two entries expiring together, the older one goes first.</summary>
        public long Sequence { get; } = sequence;
    }
}
