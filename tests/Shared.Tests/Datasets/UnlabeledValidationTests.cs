using System.Text;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Tasks;

namespace BertPlatform.Shared.Tests.Datasets;

/// <summary>Unlabeled text classification data (inputs for batch predictions): texts are checked as ever, labels never read.</summary>
public sealed class UnlabeledValidationTests
{
    private static Task<BertPlatform.Shared.Datasets.ValidationReport> Unlabeled(string content, DatasetFormat format, TaskType task = TaskType.TextClassification) =>
        TaskCatalog.For(task).ValidateAsync(new MemoryStream(Encoding.UTF8.GetBytes(content)), format, ColumnMapping.Default, null, CancellationToken.None, unlabeled: true);

    [Fact]
    public async Task Texts_without_a_label_column_are_valid_and_count_no_labels()
    {
        var csv = await Unlabeled("text,text_pair\nthe food,was great\n\"a, b\",c\n", DatasetFormat.Csv);
        Assert.True(csv.IsValid, string.Join("; ", Validation.Describe(csv)));
        Assert.Equal(2, csv.RowCount);
        Assert.Empty(csv.LabelCounts);
        var jsonl = await Unlabeled("{\"text\": \"the food\"}\n{\"text\": \"the hotel\", \"label\": \"ignored\"}\n", DatasetFormat.Jsonl);
        Assert.True(jsonl.IsValid, string.Join("; ", Validation.Describe(jsonl)));
        Assert.Empty(jsonl.LabelCounts);
    }

    [Fact]
    public async Task Texts_are_still_checked_and_the_labelled_reading_still_requires_labels()
    {
        Validation.AssertErrors(await Unlabeled("text\ngood\n\n\"\"\n", DatasetFormat.Csv), "row 2 | text | the text is empty");
        Assert.False((await Validation.Run("text\ngood\n", DatasetFormat.Csv, TaskType.TextClassification)).IsValid);
    }

    [Fact]
    public async Task Only_text_classification_reads_unlabeled_data()
    {
        Assert.False(TaskCatalog.TokenClassification.AcceptsUnlabeled);
        var report = await Unlabeled("alice\nvisited\n", DatasetFormat.Conll, TaskType.TokenClassification);
        Assert.Contains("must carry their labels", Validation.Single(report).Message);
        using var file = new Validation.TempFile("text\nthe food\n");
        Assert.Equal(["the food"], TaskCatalog.TextClassification.Read(file.Path, DatasetFormat.Csv, ColumnMapping.Default, unlabeled: true).Select(e => e.Text));
        Assert.Empty(TaskCatalog.TextClassification.Read(file.Path, DatasetFormat.Csv, ColumnMapping.Default, unlabeled: true).Single().Labels);
    }
}
