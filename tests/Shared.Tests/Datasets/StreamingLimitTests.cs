using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tasks;

namespace BertPlatform.Shared.Tests.Datasets;

/// <summary>Inputs that would make a naive reader buffer without bound get a located error instead.</summary>
public class StreamingLimitTests
{
    [Fact]
    public async Task A_jsonl_line_over_the_limit_is_skipped_and_reported()
    {
        IEnumerable<string> Content()
        {
            yield return "{\"text\":\"ok\",\"label\":\"a\"}\n{\"text\":\"";
            for (var i = 0; i < 9; i++) yield return new string('x', 1024 * 1024);
            yield return "\",\"label\":\"a\"}\n{\"text\":\"ok\",\"label\":\"b\"}\n";
        }

        var report = await TaskCatalog.TextClassification.ValidateAsync(new GeneratedStream(Content()), DatasetFormat.Jsonl,
            ColumnMapping.Default, null, CancellationToken.None);

        Validation.AssertErrors(report, "line 2 |  | the line is 9,437,207 characters long; a JSONL record may have at most 4,194,304");
        Assert.Equal(3, report.RowCount);
        Assert.Equal(1, report.LabelCounts["b"]);
    }

    [Fact]
    public async Task A_conll_sentence_without_blank_lines_is_cut_off_and_reported_once()
    {
        var conll = string.Concat(Enumerable.Repeat("word\tO\n", ConllTokenClassificationParserLimit + 5)) + "\nnext\tO\n";

        var report = await Validation.Run(conll, DatasetFormat.Conll, TaskType.TokenClassification);

        Validation.AssertErrors(report,
            $"line {ConllTokenClassificationParserLimit + 1} |  | the sentence starting at line 1 has more than 10,000 tokens; is a blank line missing between sentences?");
        Assert.Equal(2, report.RowCount);
    }

    private const int ConllTokenClassificationParserLimit = 10_000;
}
