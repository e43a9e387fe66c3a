using System.Text;
using System.Text.Unicode;

namespace BertPlatform.Shared.Datasets;

/// <summary>
/// A read-only pass-through stream that checks, as the bytes go by, that they are valid UTF-8 text, and counts them.
/// Text means no control characters but tab, line feed and carriage return: a NUL, a DEL or a C1 control
/// (U+0080–U+009F, what Windows-1252 text read as Latin-1 turns into) says the file is binary or mis-encoded.
/// Each invalid sequence is reported with its line, character and byte offset, then replaced by <c>?</c> (same
/// length, so offsets stay true) so that the parser behind it keeps going and finds the other errors of the file.
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
    private long character;     // characters of that line before window[validEnd]
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
        if (!Utf8.IsValid(region) || region.IndexOfAny(ControlBytes) >= 0 || HasC1Control(region)) Repair(region);
        var lastNewline = region.LastIndexOf((byte)'\n');
        if (lastNewline >= 0)
        {
            line += region.Count((byte)'\n');
            character = Characters(region[(lastNewline + 1)..]);
        }
        else
        {
            character += Characters(region);
        }
        validEnd = end;
    }

    /// <summary>The slow path, for a region known to hold something wrong: every character decoded and located.</summary>
    private void Repair(Span<byte> region)
    {
        var lineOfError = line;
        var characterOfError = character;
        for (var i = 0; i < region.Length;)
        {
            var status = Rune.DecodeFromUtf8(region[i..], out var rune, out var consumed);
            string? problem = null;
            if (status != System.Buffers.OperationStatus.Done)
                problem = $"invalid UTF-8 (bytes 0x{Convert.ToHexString(region.Slice(i, consumed))}) at byte offset {windowOffset + validEnd + i}; the file must be UTF-8 encoded";
            else if (IsControl(rune))
                problem = $"the control character U+{rune.Value:X4}{ControlName(rune)} at byte offset {windowOffset + validEnd + i} cannot be text; " +
                          "only tab, line feed and carriage return are (is the file binary, or in another encoding?)";
            characterOfError++;
            if (problem is not null)
            {
                onInvalid(new DatasetError($"line {lineOfError}", $"character {characterOfError}", problem));
                region.Slice(i, consumed).Fill(Replacement);
            }
            if (status == System.Buffers.OperationStatus.Done && rune.Value == '\n')
            {
                lineOfError++;
                characterOfError = 0;
            }
            i += consumed;
        }
    }

    private static readonly System.Buffers.SearchValues<byte> ControlBytes = System.Buffers.SearchValues.Create(
        [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0B, 0x0C, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
         0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x7F]);

    private static bool IsControl(Rune rune) =>
        rune.Value is < 0x20 and not ('\t' or '\n' or '\r') or 0x7F or (>= 0x80 and <= 0x9F);

    private static string ControlName(Rune rune) => rune.Value switch
    {
        0x00 => " (NUL)",
        0x1A => " (SUB, a DOS end-of-file mark)",
        0x1B => " (ESC)",
        0x7F => " (DEL)",
        _ => "",
    };

    /// <summary>C1 controls are U+0080–U+009F, encoded 0xC2 0x80–0x9F.</summary>
    private static bool HasC1Control(ReadOnlySpan<byte> bytes)
    {
        for (var at = bytes.IndexOf((byte)0xC2); at >= 0 && at + 1 < bytes.Length; )
        {
            if (bytes[at + 1] is >= 0x80 and <= 0x9F) return true;
            var next = bytes[(at + 1)..].IndexOf((byte)0xC2);
            if (next < 0) return false;
            at += 1 + next;
        }
        return false;
    }

    /// <summary>Characters (code points) in valid UTF-8: every byte that is not a continuation byte starts one.</summary>
    private static long Characters(ReadOnlySpan<byte> bytes) => bytes.Length - CountContinuationBytes(bytes);

    private static int CountContinuationBytes(ReadOnlySpan<byte> bytes)
    {
        var count = 0;
        foreach (var b in bytes)
            if ((b & 0xC0) == 0x80) count++;
        return count;
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
