using System.Text;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tasks;

namespace BertPlatform.Shared.Tests.Datasets;

public class Utf8ValidationTests
{
    [Fact]
    public async Task Invalid_bytes_are_reported_with_their_line_and_byte_offset_and_other_errors_still_found()
    {
        var head = Encoding.UTF8.GetBytes("text,label\nfine,a\ncaf");
        byte[] latin1 = [0xE9];  // "é" in Latin-1, not UTF-8
        var tail = Encoding.UTF8.GetBytes(",a\n,b\n");
        var content = head.Concat(latin1).Concat(tail).ToArray();

        var report = await Validation.Run(content, DatasetFormat.Csv, TaskType.TextClassification);

        Assert.Equal(
            [
                $"line 3 | character 4 | invalid UTF-8 (bytes 0xE9) at byte offset {head.Length}; the file must be UTF-8 encoded",
                "row 3 | text | the text is empty",
            ],
            Validation.Describe(report));
        Assert.Equal(3, report.RowCount);
    }

    [Fact]
    public async Task A_sequence_cut_off_by_the_end_of_the_stream_is_invalid()
    {
        var content = Encoding.UTF8.GetBytes("{\"text\":\"a\",\"label\":\"b\"}\n").Concat(new byte[] { 0xE6, 0x9D }).ToArray();

        var report = await Validation.Run(content, DatasetFormat.Jsonl, TaskType.TextClassification);

        Assert.Contains($"line 2 | character 1 | invalid UTF-8 (bytes 0xE69D) at byte offset {content.Length - 2}", Validation.Describe(report)[0]);
    }

    [Fact]
    public async Task Multi_byte_characters_split_across_every_read_are_valid_and_survive_intact()
    {
        const string text = "Grüße aus 東京 🙂";
        var content = Encoding.UTF8.GetBytes($"text,label\n{text},a\n");

        var report = await TaskCatalog.TextClassification.ValidateAsync(new TrickleStream(content), DatasetFormat.Csv,
            ColumnMapping.Default, null, CancellationToken.None);

        Assert.True(report.IsValid, string.Join("\n", Validation.Describe(report)));
        Assert.Equal(content.Length, report.Bytes);
    }

    [Fact]
    public async Task Byte_order_mark_is_not_part_of_the_first_column()
    {
        var content = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("text,label\na,b\n")).ToArray();

        var report = await Validation.Run(content, DatasetFormat.Csv, TaskType.TextClassification);

        Assert.True(report.IsValid, string.Join("\n", Validation.Describe(report)));
        Assert.Equal(["text", "label"], report.Columns);
    }

    [Fact]
    public void Reader_stops_at_invalid_utf8()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Encoding.UTF8.GetBytes("{\"text\":\"a\",\"label\":\"b\"}\n{\"text\":\"").Concat(new byte[] { 0xC0, 0xAF }).Concat("\",\"label\":\"b\"}\n"u8.ToArray()).ToArray());

            var exception = Assert.Throws<DatasetFormatException>(() =>
                TaskCatalog.TextClassification.Read(path, DatasetFormat.Jsonl, ColumnMapping.Default).ToList());

            Assert.Equal("line 2", exception.Error.Location);
            Assert.Contains("invalid UTF-8 (bytes 0xC0)", exception.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Hands out one byte per read, the worst case for sequences that straddle reads.</summary>
    private sealed class TrickleStream(byte[] content) : MemoryStream(content)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(1, buffer.Length)]);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(1, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));
    }
}
