using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Metrics;

namespace BertPlatform.Shared.Tasks;

/// <summary>A corpus of documents (sentences, blank line between documents) in plain text or JSON Lines.</summary>
public sealed class PretrainingData : TaskData<CorpusDocument>
{
    public override TaskType Task => TaskType.Pretraining;

    public override IReadOnlyList<DatasetFormat> Formats { get; } = [DatasetFormat.Text, DatasetFormat.Jsonl];

    public override string PrimaryMetric(ProblemType? problemType) => MetricNames.MlmAccuracy;

    public override IEnumerable<string> LabelsOf(CorpusDocument example, ProblemType? problemType) => [];

    public override CorpusCounts? CountsOf(CorpusDocument example) => CorpusCounts.Of(example);

    private protected override DatasetParser<CorpusDocument> CreateParser(DatasetFormat format, ColumnMapping columns, ProblemType? problemType) =>
        format == DatasetFormat.Text ? new TextCorpusParser() : new JsonlCorpusParser(columns);
}
