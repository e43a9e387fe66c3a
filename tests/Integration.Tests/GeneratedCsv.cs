using System.Text;

namespace BertPlatform.Integration.Tests;

/// <summary>
/// A CSV of exactly <c>size</c> bytes, generated row by row into the caller's blocks and never whole in memory: the
/// header, rows from a deterministic source, and a last row whose text is padded with spaces so the file ends exactly
/// at the size (a direct upload declares its size before the first block). Counts the rows and labels it wrote.
/// </summary>
public sealed class GeneratedCsv
{
    /// <summary>A source row is at most this long; the last row is chosen when fewer bytes than this would remain after it.</summary>
    private const int MaxRowBytes = 256;

    private readonly IEnumerator<string> rows;
    private readonly long size;
    private long queued;
    private byte[] pending;
    private int pendingOffset;

    public GeneratedCsv(string header, IEnumerable<string> rows, long size)
    {
        pending = Encoding.UTF8.GetBytes(header);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, pending.Length + MaxRowBytes);
        this.rows = rows.GetEnumerator();
        this.size = size;
        queued = pending.Length;
    }

    public long Rows { get; private set; }

    public Dictionary<string, long> LabelCounts { get; } = new(StringComparer.Ordinal);

    /// <summary>Fills <paramref name="block"/> with the next bytes; returns how many (less than its length only at the end, 0 after it).</summary>
    public int Fill(Span<byte> block)
    {
        var filled = 0;
        while (filled < block.Length && (pendingOffset < pending.Length || NextRow()))
        {
            var count = Math.Min(block.Length - filled, pending.Length - pendingOffset);
            pending.AsSpan(pendingOffset, count).CopyTo(block[filled..]);
            (filled, pendingOffset) = (filled + count, pendingOffset + count);
        }
        return filled;
    }

    private bool NextRow()
    {
        var remaining = size - queued;
        if (remaining == 0) return false;
        rows.MoveNext();
        var row = rows.Current;
        var length = Encoding.UTF8.GetByteCount(row);
        if (length > MaxRowBytes || row[^1] != '\n')
            throw new InvalidOperationException($"The source's rows must end with a line feed and have at most {MaxRowBytes} bytes: '{row}'");
        var comma = row.LastIndexOf(',');
        var label = row[(comma + 1)..^1];
        // Too little room for another row after this one: pad its text so the file ends exactly at the size.
        if (remaining - length < MaxRowBytes) row = row.Insert(comma, new string(' ', (int)(remaining - length)));
        pending = Encoding.UTF8.GetBytes(row);
        pendingOffset = 0;
        queued += pending.Length;
        Rows++;
        LabelCounts[label] = LabelCounts.GetValueOrDefault(label) + 1;
        return true;
    }
}
