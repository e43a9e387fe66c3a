using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Insight;
using BertPlatform.Shared.Metrics;

namespace BertPlatform.Shared.Tasks;

/// <summary>Sentences as word lists with one IOB2 tag per word, in CoNLL or JSON Lines.</summary>
public sealed class TokenClassificationData : TaskData<TokenClassificationExample>
{
    public override TaskType Task => TaskType.TokenClassification;

    public override IReadOnlyList<DatasetFormat> Formats { get; } = [DatasetFormat.Conll, DatasetFormat.Jsonl];

    public override string PrimaryMetric(ProblemType? problemType) => MetricNames.F1;

    public override IEnumerable<string> LabelsOf(TokenClassificationExample example, ProblemType? problemType) => example.Tags;

    /// <summary>
    /// The words joined by spaces: the basic tokenizer splits at whitespace first, so their pieces are those the
    /// runner gets word by word. Entity types are read from B- tags (none when tags are class ids).
    /// </summary>
    public override IReadOnlyList<PreflightExample> PreflightExamplesOf(TokenClassificationExample example, ProblemType? problemType)
    {
        var words = string.Join(' ', example.Tokens);
        return
        [
            new PreflightExample
            {
                Sequences = [new PreflightSequence(words)],
                Labels = example.Tags,
                Entities = example.Tags.Where(tag => tag.StartsWith("B-", StringComparison.Ordinal)).Select(tag => tag[2..]).ToArray(),
                Text = [words],
                Language = example.Language,
            },
        ];
    }

    private protected override DatasetParser<TokenClassificationExample> CreateParser(DatasetFormat format, ColumnMapping columns, ProblemType? problemType) =>
        format == DatasetFormat.Conll ? new ConllTokenClassificationParser() : new JsonlTokenClassificationParser(columns);
}
