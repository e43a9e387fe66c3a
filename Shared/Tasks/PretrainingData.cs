using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Insight;
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

    /// <summary>
    /// Each sentence is an example: the runner packs sentences into [CLS] A [SEP] B [SEP] and cuts only a sentence
    /// that cannot fit one pair, so a sentence is measured against the pair's budget (its three special tokens; the
    /// empty second segment adds none).
    /// </summary>
    public override IReadOnlyList<PreflightExample> PreflightExamplesOf(CorpusDocument example, ProblemType? problemType) =>
        example.Sentences.Select(sentence => new PreflightExample
        {
            Sequences = [new PreflightSequence(sentence, "")],
            Text = [sentence],
        }).ToArray();

    private protected override DatasetParser<CorpusDocument> CreateParser(DatasetFormat format, ColumnMapping columns, ProblemType? problemType) =>
        format == DatasetFormat.Text ? new TextCorpusParser() : new JsonlCorpusParser(columns);
}
