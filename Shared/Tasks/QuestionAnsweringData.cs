using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Insight;
using BertPlatform.Shared.Metrics;

namespace BertPlatform.Shared.Tasks;

/// <summary>Questions over a context with answer spans (or none, SQuAD v2.0), in SQuAD JSON or JSON Lines.</summary>
public sealed class QuestionAnsweringData : TaskData<QuestionAnsweringExample>
{
    /// <summary>Label-count keys of a validation report: questions with and without an answer.</summary>
    public const string HasAnswer = "has_answer";

    public const string NoAnswer = "no_answer";

    public override TaskType Task => TaskType.QuestionAnswering;

    public override IReadOnlyList<DatasetFormat> Formats { get; } = [DatasetFormat.Squad, DatasetFormat.Jsonl];

    public override string PrimaryMetric(ProblemType? problemType) => MetricNames.F1;

    public override IEnumerable<string> LabelsOf(QuestionAnsweringExample example, ProblemType? problemType) =>
        [example.IsImpossible ? NoAnswer : HasAnswer];

    /// <summary>
    /// [CLS] question [SEP] context [SEP] at full length, windowed as the runner windows it; the answer is the first
    /// one, the one the runner trains on.
    /// </summary>
    public override IReadOnlyList<PreflightExample> PreflightExamplesOf(QuestionAnsweringExample example, ProblemType? problemType)
    {
        var answer = example.IsImpossible || example.Answers.Count == 0 ? null : example.Answers[0];
        return
        [
            new PreflightExample
            {
                Sequences = [new PreflightSequence(example.Question, example.Context)],
                Labels = LabelsOf(example, problemType).ToArray(),
                Text = [example.Question, example.Context],
                Language = example.Language,
                QuestionContext = new PreflightQuestionContext(example.Question, example.Context, answer?.Start, answer?.Start + answer?.Text.Length),
            },
        ];
    }

    private protected override DatasetParser<QuestionAnsweringExample> CreateParser(DatasetFormat format, ColumnMapping columns, ProblemType? problemType) =>
        format == DatasetFormat.Squad ? new SquadParser(columns) : new JsonlQuestionAnsweringParser(columns);
}
