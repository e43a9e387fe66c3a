using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Insight;
using BertPlatform.Shared.Metrics;

namespace BertPlatform.Shared.Tasks;

/// <summary>Texts or text pairs with a label, a label list (multi-label) or a score (regression), in CSV, TSV or JSON Lines.</summary>
public sealed class TextClassificationData : TaskData<TextClassificationExample>
{
    public override TaskType Task => TaskType.TextClassification;

    public override IReadOnlyList<DatasetFormat> Formats { get; } = [DatasetFormat.Csv, DatasetFormat.Tsv, DatasetFormat.Jsonl];

    public override string PrimaryMetric(ProblemType? problemType) => problemType switch
    {
        ProblemType.MultiLabelClassification => MetricNames.F1Micro,
        ProblemType.Regression => MetricNames.Pearson,
        _ => MetricNames.Accuracy,
    };

    public override IEnumerable<string> LabelsOf(TextClassificationExample example, ProblemType? problemType) =>
        problemType == ProblemType.Regression ? [] : example.Labels;

    public override IReadOnlyList<PreflightExample> PreflightExamplesOf(TextClassificationExample example, ProblemType? problemType) =>
    [
        new PreflightExample
        {
            Sequences = [new PreflightSequence(example.Text, example.TextPair)],
            Labels = LabelsOf(example, problemType).ToArray(),
            Text = example.TextPair is null ? [example.Text] : [example.Text, example.TextPair],
            Language = example.Language,
        },
    ];

    private protected override DatasetParser<TextClassificationExample> CreateParser(DatasetFormat format, ColumnMapping columns, ProblemType? problemType) =>
        format == DatasetFormat.Jsonl
            ? new JsonlTextClassificationParser(columns, problemType)
            : new CsvTextClassificationParser(format, columns, problemType);

    public override bool AcceptsUnlabeled => true;

    /// <summary>Texts (and pairs) without a label column or field: inputs for a batch prediction.</summary>
    private protected override DatasetParser<TextClassificationExample> CreateUnlabeledParser(DatasetFormat format, ColumnMapping columns) =>
        format == DatasetFormat.Jsonl
            ? new JsonlTextClassificationParser(columns, null, unlabeled: true)
            : new CsvTextClassificationParser(format, columns, null, unlabeled: true);
}
