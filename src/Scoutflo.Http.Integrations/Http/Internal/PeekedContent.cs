namespace Scoutflo.Http.Integrations.Http.Internal;

/// <summary>
/// Looking at the start of a response body without taking it from the caller: the bytes read
/// are replayed ahead of the rest of the original stream, which stays unbuffered.
/// </summary>
internal static class PeekedContent
{
    /// <summary>
    /// Reads at most <paramref name="maxBytes"/> of the body and puts back a content that
    /// replays them, then streams the rest (headers preserved). Returns the bytes read, and
    /// whether they are the whole body.
    /// </summary>
    public static async ValueTask<(ReadOnlyMemory<byte> Prefix, bool Complete)> PeekAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        var original = response.Content;
        var stream = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[maxBytes];
        var read = 0;
        var complete = false;
        try
        {
            while (read < maxBytes)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    complete = true;
                    break;
                }

                read += n;
            }
        }
        finally
        {
            // Even a cancelled peek must not lose what it took from the stream.
            response.Content = new ReplayContent(original, stream, buffer.AsMemory(0, read));
        }

        return (buffer.AsMemory(0, read), complete);
    }

    /// <summary>The peeked prefix, then the rest of the original stream. Readable once, like the original.</summary>
    private sealed class ReplayContent : HttpContent
    {
        private readonly HttpContent _original;
        private readonly Stream _rest;
        private readonly ReadOnlyMemory<byte> _prefix;

        public ReplayContent(HttpContent original, Stream rest, ReadOnlyMemory<byte> prefix)
        {
            _original = original;
            _rest = rest;
            _prefix = prefix;
            foreach (var header in original.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(_prefix, cancellationToken).ConfigureAwait(false);
            await _rest.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new PrefixedStream(_prefix, _rest));

        protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => CreateContentReadStreamAsync();

        // Headers were copied, so a known length is already in them; an unknown one stays unknown.
        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _rest.Dispose();
                _original.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty)
            {
                return rest.Read(buffer);
            }

            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_prefix.IsEmpty)
            {
                return rest.ReadAsync(buffer, cancellationToken);
            }

            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer.Span);
            _prefix = _prefix[n..];
            return ValueTask.FromResult(n);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                rest.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
