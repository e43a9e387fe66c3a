using System.Text;

namespace BertPlatform.Shared.Tests.Datasets;

/// <summary>
/// A CSV text-classification dataset of a chosen size, produced on the fly as it is read, so a test can stream
/// hundreds of megabytes through the validator without a file or a buffer that size. Rows carry quotes, commas and
/// multi-byte characters so that UTF-8 sequences and quoted fields straddle read boundaries.
/// </summary>
internal sealed class GeneratedCsvStream(long targetBytes, Action? onEveryTenMegabytes = null) : Stream
{
    private static readonly string[] Labels = ["positive", "negative", "neutral"];
    private static readonly byte[] Header = "text,label\n"u8.ToArray();

    private readonly byte[] row = new byte[256];
    private int rowLength;
    private int rowOffset;
    private long produced;
    private bool headerWritten;
    private long nextReport = 10_000_000;

    public long Rows { get; private set; }

    public IReadOnlyDictionary<string, long> LabelCounts => counts;

    private readonly Dictionary<string, long> counts = [];

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            if (rowOffset == rowLength && !NextRow()) break;
            var count = Math.Min(buffer.Length - written, rowLength - rowOffset);
            row.AsSpan(rowOffset, count).CopyTo(buffer[written..]);
            rowOffset += count;
            written += count;
        }
        produced += written;
        if (produced >= nextReport)
        {
            nextReport += 10_000_000;
            onEveryTenMegabytes?.Invoke();
        }
        return written;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    private bool NextRow()
    {
        if (!headerWritten)
        {
            headerWritten = true;
            Header.CopyTo(row, 0);
            rowLength = Header.Length;
            rowOffset = 0;
            return true;
        }
        if (produced >= targetBytes) return false;
        var label = Labels[Rows % Labels.Length];
        counts[label] = counts.GetValueOrDefault(label) + 1;
        Rows++;
        rowLength = Encoding.UTF8.GetBytes($"\"Zeile {Rows}: Müller sagte \"\"grüß dich\"\", 東京 ✓\",{label}\n", row);
        rowOffset = 0;
        return true;
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
