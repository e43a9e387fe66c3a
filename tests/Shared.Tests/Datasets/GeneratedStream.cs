using System.Text;

namespace BertPlatform.Shared.Tests.Datasets;

/// <summary>
/// A dataset of any size produced on the fly from a sequence of text pieces as it is read, so a test can stream
/// hundreds of megabytes through the validator without a file or a buffer that size. Calls
/// <paramref name="onEveryTenMegabytes"/> as it goes, for memory probes.
/// </summary>
internal sealed class GeneratedStream(IEnumerable<string> pieces, Action? onEveryTenMegabytes = null) : Stream
{
    private const long ProbeInterval = 10_000_000;

    private readonly IEnumerator<string> source = pieces.GetEnumerator();
    private byte[] piece = [];
    private int pieceLength;
    private int pieceOffset;
    private long nextProbe = ProbeInterval;

    public long BytesProduced { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            if (pieceOffset == pieceLength && !NextPiece()) break;
            var count = Math.Min(buffer.Length - written, pieceLength - pieceOffset);
            piece.AsSpan(pieceOffset, count).CopyTo(buffer[written..]);
            pieceOffset += count;
            written += count;
        }
        BytesProduced += written;
        if (BytesProduced >= nextProbe)
        {
            nextProbe += ProbeInterval;
            onEveryTenMegabytes?.Invoke();
        }
        return written;
    }

    private bool NextPiece()
    {
        if (!source.MoveNext()) return false;
        var text = source.Current;
        var needed = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (piece.Length < needed) piece = new byte[needed];
        pieceLength = Encoding.UTF8.GetBytes(text, piece);
        pieceOffset = 0;
        return true;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    protected override void Dispose(bool disposing)
    {
        if (disposing) source.Dispose();
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
