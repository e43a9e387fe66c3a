namespace BertPlatform.Shared.Insight;

/// <summary>
/// What the pre-flight report reads of one example, whatever its task: each task's data maps its examples to this
/// (<see cref="Tasks.TaskData{TExample}.PreflightExamplesOf"/>), and one profiler counts over it.
/// </summary>
public sealed record PreflightExample
{
    /// <summary>
    /// The inputs the runner encodes for the example, each truncated on its own: one for most tasks, one per ending
    /// for multiple choice (the example is as long as its longest input).
    /// </summary>
    public required IReadOnlyList<PreflightSequence> Sequences { get; init; }

    /// <summary>What the label counts count for this example (several for tags or multi-label; none for corpora and regression).</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>IOB2 entity types of the example's mentions (one per B- tag), for the entity balance; empty elsewhere.</summary>
    public IReadOnlyList<string> Entities { get; init; } = [];

    /// <summary>The example's text in parts kept apart: the key of duplicates and leakage, and (joined) what language detection reads.</summary>
    public required IReadOnlyList<string> Text { get; init; }

    /// <summary>The language the dataset gives for the example; null lets the profiler detect it.</summary>
    public string? Language { get; init; }

    /// <summary>Extractive QA: the runner splits the context into windows instead of truncating it.</summary>
    public PreflightQuestionContext? QuestionContext { get; init; }
}

/// <summary>One model input: a text, or a text pair, encoded as [CLS] first [SEP] (second [SEP]).</summary>
public sealed record PreflightSequence(string First, string? Second = null)
{
    /// <summary>[CLS] and one [SEP] per segment.</summary>
    public int SpecialTokens => Second is null ? 2 : 3;
}

/// <summary>
/// A question over a context, windowed as the runner windows it (docStride, maxQuestionLength), with the answer's
/// character range in the context; no answer for an unanswerable question.
/// </summary>
public sealed record PreflightQuestionContext(string Question, string Context, int? AnswerStart = null, int? AnswerEnd = null);
