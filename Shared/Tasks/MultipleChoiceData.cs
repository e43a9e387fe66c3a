using System.Globalization;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
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

    private protected override DatasetParser<MultipleChoiceExample> CreateParser(DatasetFormat format, ColumnMapping columns, ProblemType? problemType) =>
        new JsonlMultipleChoiceParser(columns);
}
