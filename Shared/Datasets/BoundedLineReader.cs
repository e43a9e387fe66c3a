using System.Text;

namespace BertPlatform.Shared.Datasets;

/// <summary>One physical line; <see cref="Text"/> is null when the line was longer than the reader's limit.</summary>
internal readonly record struct TextLine(long Number, string? Text, long Length)
{
    public bool IsBlank => Text is not null && string.IsNullOrWhiteSpace(Text);
}

/// <summary>
/// Reads lines (<c>\n</c> or <c>\r\n</c>) without ever holding more than <paramref name="maxLineLength"/> characters
/// of one: a file with no line breaks at all must not be buffered whole. Over-long lines are skipped and measured.
/// </summary>
internal sealed class BoundedLineReader(TextReader reader, int maxLineLength)
{
    private readonly char[] buffer = new char[16 * 1024];
    private readonly StringBuilder current = new();
    private int start;
    private int end;
    private long lineNumber;

    public int MaxLineLength => maxLineLength;

    public async ValueTask<TextLine?> ReadLineAsync(CancellationToken cancellationToken)
    {
        current.Clear();
        long length = 0;
        var overflow = false;
        var sawAnything = false;
        while (true)
        {
            if (start == end)
            {
                start = 0;
                end = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (end == 0)
                {
                    if (!sawAnything) return null;
                    break;
                }
            }
            sawAnything = true;
            var available = buffer.AsSpan(start, end - start);
            var newline = available.IndexOf('\n');
            var piece = newline < 0 ? available : available[..newline];
            // One character of slack keeps a trailing '\r' that is about to be dropped from counting as overflow.
            if (!overflow && current.Length + piece.Length <= maxLineLength + 1) current.Append(piece);
            else overflow = true;
            length += piece.Length;
            start += newline < 0 ? piece.Length : newline + 1;
            if (newline >= 0) break;
        }
        lineNumber++;
        if (!overflow && current.Length > 0 && current[^1] == '\r')
        {
            current.Length--;
            length--;
        }
        return length > maxLineLength
            ? new TextLine(lineNumber, null, length)
            : new TextLine(lineNumber, current.ToString(), length);
    }

    /// <summary>UTF-8 text reading shared by the line formats; a UTF-8 byte-order mark is skipped.</summary>
    public static BoundedLineReader Open(Stream utf8Content, int maxLineLength) =>
        new(new StreamReader(utf8Content, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true),
            maxLineLength);
}
