using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Metrics;

namespace BertPlatform.Shared.Tasks;

/// <summary>Sentences as word lists with one IOB2 tag per word, in CoNLL or JSON Lines.</summary>
public sealed class TokenClassificationData : TaskData<TokenClassificationExample>
{
    public override TaskType Task => TaskType.TokenClassification;

    public override IReadOnlyList<DatasetFormat> Formats { get; } = [DatasetFormat.Conll, DatasetFormat.Jsonl];

    public override string PrimaryMetric(ProblemType? problemType) => MetricNames.F1;

    public override IEnumerable<string> LabelsOf(TokenClassificationExample example, ProblemType? problemType) => example.Tags;

    private protected override DatasetParser<TokenClassificationExample> CreateParser(DatasetFormat format, ColumnMapping columns, ProblemType? problemType) =>
        format == DatasetFormat.Conll ? new ConllTokenClassificationParser() : new JsonlTokenClassificationParser(columns);
}
