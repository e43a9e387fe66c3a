using System.Globalization;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Insight;
using BertPlatform.Shared.Metrics;

namespace BertPlatform.Shared.Tasks;

/// <summary>A context, an optional question and candidate endings with the index of the right one, in JSON Lines.</summary>
public sealed class MultipleChoiceData : TaskData<MultipleChoiceExample>
{
    public override TaskType Task => TaskType.MultipleChoice;

    public override IReadOnlyList<DatasetFormat> Formats { get; } = [DatasetFormat.Jsonl];

    public override string PrimaryMetric(ProblemType? problemType) => MetricNames.Accuracy;

    public override IEnumerable<string> LabelsOf(MultipleChoiceExample example, ProblemType? problemType) =>
        [example.Label.ToString(CultureInfo.InvariantCulture)];

    /// <summary>One input per ending, as the runner encodes it: (context, question + " " + ending).</summary>
    public override IReadOnlyList<PreflightExample> PreflightExamplesOf(MultipleChoiceExample example, ProblemType? problemType) =>
    [
        new PreflightExample
        {
            Sequences = example.Endings
                .Select(ending => new PreflightSequence(example.Context, string.IsNullOrEmpty(example.Question) ? ending : example.Question + " " + ending))
                .ToArray(),
            Labels = LabelsOf(example, problemType).ToArray(),
            Text = [example.Context, example.Question ?? "", .. example.Endings],
            Language = example.Language,
        },
    ];

    private protected override DatasetParser<MultipleChoiceExample> CreateParser(DatasetFormat format, ColumnMapping columns, ProblemType? problemType) =>
        new JsonlMultipleChoiceParser(columns);
}
