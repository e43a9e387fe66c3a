using System.Text;
using System.Text.Unicode;

namespace BertPlatform.Shared.Datasets;

/// <summary>
/// A read-only pass-through stream that checks, as the bytes go by, that they are valid UTF-8, and counts them.
/// Each invalid sequence is reported with its byte offset and line, then replaced by <c>?</c> (same length, so
/// offsets stay true) so that the parser behind it keeps going and finds the other errors of the file.
/// Only a fixed window is held, whatever the size of the stream.
/// </summary>
internal sealed class Utf8ValidatingStream(Stream inner, Action<DatasetError> onInvalid) : Stream
{
    private const int WindowSize = 64 * 1024;
    private const byte Replacement = (byte)'?';

    private readonly byte[] window = new byte[WindowSize];
    private int start;      // next byte to hand out
    private int validEnd;   // end of the checked bytes; [validEnd, filled) is a sequence split across reads
    private int filled;
    private long windowOffset;  // stream offset of window[0]
    private long line = 1;      // line at window[validEnd]
    private bool endOfInput;

    /// <summary>Bytes read from the inner stream so far.</summary>
    public long BytesRead => windowOffset + filled;

    public override int Read(Span<byte> buffer)
    {
        // A read may bring only the first bytes of a sequence: read on until something is checked or the input ends.
        while (start == validEnd && !endOfInput)
        {
            var free = ShiftPendingBytes();
            Checked(inner.Read(window, filled, free));
        }
        return HandOut(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Checked here too because not every source honours the token (a request body may not), and every parser reads through here.
        cancellationToken.ThrowIfCancellationRequested();
        while (start == validEnd && !endOfInput)
        {
            var free = ShiftPendingBytes();
            Checked(await inner.ReadAsync(window.AsMemory(filled, free), cancellationToken).ConfigureAwait(false));
        }
        return HandOut(buffer.Span);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int ShiftPendingBytes()
    {
        var pending = filled - validEnd;
        window.AsSpan(validEnd, pending).CopyTo(window);
        windowOffset += validEnd;
        start = 0;
        validEnd = 0;
        filled = pending;
        return WindowSize - pending;
    }

    private void Checked(int bytesRead)
    {
        if (bytesRead == 0)
        {
            endOfInput = true;
            // A sequence cut off by the end of the stream can never be completed.
            CheckRegion(filled);
            return;
        }
        filled += bytesRead;
        CheckRegion(CompleteSequencesEnd(window.AsSpan(0, filled)));
    }

    /// <summary>Checks [validEnd, end), repairing invalid sequences in place.</summary>
    private void CheckRegion(int end)
    {
        var region = window.AsSpan(validEnd, end - validEnd);
        if (!Utf8.IsValid(region))
        {
            for (var i = 0; i < region.Length;)
            {
                var status = Rune.DecodeFromUtf8(region[i..], out _, out var consumed);
                if (status == System.Buffers.OperationStatus.Done)
                {
                    i += consumed;
                    continue;
                }
                var lineOfError = line + region[..i].Count((byte)'\n');
                var bytes = Convert.ToHexString(region.Slice(i, consumed));
                onInvalid(new DatasetError($"line {lineOfError}", null,
                    $"invalid UTF-8 (bytes 0x{bytes}) at byte offset {windowOffset + validEnd + i}; the file must be UTF-8 encoded"));
                region.Slice(i, consumed).Fill(Replacement);
                i += consumed;
            }
        }
        line += region.Count((byte)'\n');
        validEnd = end;
    }

    /// <summary>Where the last sequence that is already complete ends; a lead byte still waiting for its continuation bytes stays out.</summary>
    private static int CompleteSequencesEnd(ReadOnlySpan<byte> bytes)
    {
        for (var i = bytes.Length - 1; i >= 0 && i >= bytes.Length - 3; i--)
        {
            var b = bytes[i];
            if ((b & 0xC0) == 0x80) continue;
            if (b < 0xC0) return bytes.Length;
            var length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
            return bytes.Length - i < length ? i : bytes.Length;
        }
        return bytes.Length;
    }

    private int HandOut(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, validEnd - start);
        window.AsSpan(start, count).CopyTo(buffer);
        start += count;
        return count;
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
