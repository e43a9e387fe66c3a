using System.Diagnostics;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tasks;
using Xunit.Abstractions;

namespace BertPlatform.Shared.Tests.Datasets;

/// <summary>Big generated datasets stream through validation in bounded memory.</summary>
public class LargeStreamValidationTests(ITestOutputHelper output)
{
    private const long AllowedGrowthBytes = 50_000_000;
    private static readonly string[] Labels = ["positive", "negative", "neutral"];

    [Fact]
    public async Task Two_hundred_megabytes_of_csv_validate_with_flat_memory()
    {
        const long size = 200_000_000;
        var rows = 0L;
        IEnumerable<string> Csv()
        {
            yield return "text,label\n";
            for (long bytes = 0; bytes < size; rows++)
            {
                // Quotes, commas and multi-byte characters land on every possible read boundary.
                var row = $"\"Zeile {rows}: Müller sagte \"\"grüß dich\"\", 東京 ✓\",{Labels[rows % 3]}\n";
                bytes += row.Length;
                yield return row;
            }
        }

        var report = await Measure(Csv(), DatasetFormat.Csv, TaskType.TextClassification);

        Assert.True(report.Bytes >= size);
        Assert.Equal(rows, report.RowCount);
        Assert.Equal((rows + 2) / 3, report.LabelCounts["positive"]);
        Assert.Equal(rows / 3, report.LabelCounts["neutral"]);
    }

    [Fact]
    public async Task Fifty_megabytes_of_squad_json_validate_with_flat_memory()
    {
        const long size = 50_000_000;
        var questions = 0L;
        IEnumerable<string> Squad()
        {
            yield return "{\"version\": \"v2.0\", \"data\": [";
            for (long bytes = 0, article = 0; bytes < size; article++)
            {
                var paragraphs = new List<string>();
                for (var p = 0; p < 20; p++)
                {
                    var context = $"Absatz {article}.{p}: Die Stadt Köln liegt am Rhein. " + string.Concat(Enumerable.Repeat("Sie ist alt und groß. ", 20));
                    var start = context.IndexOf("Köln", StringComparison.Ordinal);
                    paragraphs.Add($$"""{"context": "{{context}}", "qas": [{"id": "{{article}}-{{p}}-a", "question": "Welche Stadt?", "answers": [{"text": "Köln", "answer_start": {{start}}}], "is_impossible": false}, {"id": "{{article}}-{{p}}-b", "question": "Welcher Berg?", "answers": [], "is_impossible": true}]}""");
                    questions += 2;
                }
                var text = (article == 0 ? "" : ",") + $$"""{"title": "Artikel {{article}}", "paragraphs": [{{string.Join(",\n", paragraphs)}}]}""";
                bytes += text.Length;
                yield return text;
            }
            yield return "]}";
        }

        var report = await Measure(Squad(), DatasetFormat.Squad, TaskType.QuestionAnswering);

        Assert.Equal(questions, report.RowCount);
        Assert.Equal(questions / 2, report.LabelCounts[QuestionAnsweringData.NoAnswer]);
    }

    private async Task<ValidationReport> Measure(IEnumerable<string> content, DatasetFormat format, TaskType task)
    {
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var workingSetBefore = Environment.WorkingSet;
        long peakLive = 0, peakWorkingSet = 0;
        using var stream = new GeneratedStream(content, () =>
        {
            peakLive = Math.Max(peakLive, GC.GetTotalMemory(forceFullCollection: true));
            peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet);
        });
        var clock = Stopwatch.StartNew();

        var report = await TaskCatalog.For(task).ValidateAsync(stream, format, ColumnMapping.Default, null, CancellationToken.None);

        clock.Stop();
        var growth = peakLive - baseline;
        output.WriteLine($"{format}: {report.Bytes:N0} bytes, {report.RowCount:N0} rows in {clock.Elapsed.TotalSeconds:F1} s " +
                         $"({report.Bytes / clock.Elapsed.TotalSeconds / 1e6:F0} MB/s); live heap growth at peak {growth / 1e6:F1} MB; " +
                         $"working set {workingSetBefore / 1e6:F0} MB before, {peakWorkingSet / 1e6:F0} MB at peak");
        Assert.True(report.IsValid, string.Join("\n", Validation.Describe(report)));
        Assert.Equal(stream.BytesProduced, report.Bytes);
        Assert.True(peakLive > 0, "the memory probe never ran");
        Assert.True(growth < AllowedGrowthBytes, $"live memory grew by {growth:N0} bytes while validating");
        return report;
    }
}
