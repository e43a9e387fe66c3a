namespace BertPlatform.Shared.Insight;

/// <summary>
/// What a dataset will look like to the model before any training: computed with the base model's own tokenizer at
/// the job's maxSequenceLength. Returned when a job is submitted, stored with it, and available for any dataset.
/// </summary>
public sealed record PreflightReport
{
    /// <summary>The job's task, which decides how examples are counted (reports stored before every task had one are text classification).</summary>
    public Contracts.TaskType Task { get; init; } = Contracts.TaskType.TextClassification;

    public required string BaseModel { get; init; }

    public required int MaxSequenceLength { get; init; }

    public required DatasetProfile Training { get; init; }

    /// <summary>The validation dataset's profile; null when the job holds out part of the training data.</summary>
    public DatasetProfile? Validation { get; init; }

    public required DuplicateFigures Duplicates { get; init; }

    /// <summary>Validation rows also in training; null without a validation dataset.</summary>
    public LeakageFigures? Leakage { get; init; }

    /// <summary>A job's named validation sets, each with its leakage from training; null for a job without them.</summary>
    public IReadOnlyList<ValidationSetProfile>? ValidationSets { get; init; }

    public required LengthAdvice LengthAdvice { get; init; }

    public required TrainingEstimate Estimate { get; init; }

    /// <summary>Everything worth a look before paying for the GPU, each with its numbers.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }
}

/// <summary>One dataset seen through the tokenizer. Token counts include [CLS] and [SEP].</summary>
public sealed record DatasetProfile
{
    public required string DatasetId { get; init; }

    /// <summary>Examples analysed: all of them, or the first <see cref="PreflightLimits.MaxExamples"/> of a larger dataset.</summary>
    public required int Examples { get; init; }

    /// <summary>Pre-training only: the documents read, whose sentences are the examples.</summary>
    public int? Documents { get; init; }

    /// <summary>Whether the dataset has more examples than were analysed.</summary>
    public bool Sampled { get; init; }

    public required TokenPercentiles TokensPerExample { get; init; }

    /// <summary>Examples longer than maxSequenceLength, which training cuts; for QA, questions whose context needs several windows.</summary>
    public required int Truncated { get; init; }

    public required double TruncatedShare { get; init; }

    /// <summary>Tokens cut off in all, over the truncated examples (every truncated choice of a multiple-choice example); for QA, question tokens beyond maxQuestionLength.</summary>
    public required long TokensLost { get; init; }

    /// <summary>Word-piece tokens of the texts (special tokens not counted).</summary>
    public required long TextTokens { get; init; }

    public required long UnknownTokens { get; init; }

    /// <summary>[UNK] tokens over text tokens.</summary>
    public required double UnknownRate { get; init; }

    /// <summary>
    /// Examples per label (each label of a multi-label example counts), tags per tag for token classification,
    /// has_answer/no_answer for QA, the right ending's index for multiple choice; empty for regression and pre-training.
    /// </summary>
    public required IReadOnlyDictionary<string, int> Labels { get; init; }

    /// <summary>Token classification with IOB2 tag names: mentions per entity type (B- tags); null elsewhere.</summary>
    public IReadOnlyDictionary<string, int>? Entities { get; init; }

    /// <summary>Largest over smallest count, of the entity types where there are some, else of the labels; null with fewer than two.</summary>
    public double? ImbalanceRatio { get; init; }

    /// <summary>Question answering only: how contexts are split into windows.</summary>
    public WindowFigures? Windows { get; init; }

    /// <summary>Examples per language: the dataset's language column where it has one, else detected (see <see cref="LanguageSource"/>).</summary>
    public required IReadOnlyDictionary<string, int> Languages { get; init; }

    /// <summary>"column", or "detected on the first N examples".</summary>
    public required string LanguageSource { get; init; }
}

/// <summary>
/// A QA dataset's contexts split into windows of maxSequenceLength as the runner splits them (docStride tokens shared
/// by consecutive windows, the question cut to maxQuestionLength).
/// </summary>
public sealed record WindowFigures
{
    public required int DocStride { get; init; }

    public required int MaxQuestionLength { get; init; }

    /// <summary>Windows (features) in all: what the trainer steps over.</summary>
    public required int Windows { get; init; }

    public required double WindowsPerQuestion { get; init; }

    public required int MaxWindows { get; init; }

    /// <summary>Questions whose context needs more than one window.</summary>
    public required int MultiWindow { get; init; }

    public required double MultiWindowShare { get; init; }

    /// <summary>Questions longer than maxQuestionLength.</summary>
    public required int QuestionsCut { get; init; }

    /// <summary>Questions with an answer.</summary>
    public required int Answerable { get; init; }

    /// <summary>Answers no window holds whole: their questions train as unanswerable.</summary>
    public required int AnswersOutsideWindows { get; init; }

    /// <summary>Of the answerable questions.</summary>
    public required double AnswersOutsideShare { get; init; }

    /// <summary>Questions the runner cannot window at these settings (docStride not below a window's context tokens).</summary>
    public required int Unwindowable { get; init; }

    public string? UnwindowableReason { get; init; }
}

/// <summary>Nearest-rank percentiles: the smallest length at least p% of the examples do not exceed.</summary>
public sealed record TokenPercentiles(int P50, int P90, int P95, int P99, int Max, double Mean);

/// <summary>Rows of the training data that repeat an earlier row: as given, and after normalising (<see cref="DuplicateKeys"/>).</summary>
public sealed record DuplicateFigures(int Exact, double ExactShare, int Near, double NearShare);

/// <summary>One named validation set: its profile and the share of its rows that also occur in training.</summary>
public sealed record ValidationSetProfile(string Name, DatasetProfile Profile, LeakageFigures Leakage);

/// <summary>Validation rows whose text (and pair) also occurs in the training data.</summary>
public sealed record LeakageFigures(int Exact, double ExactShare, int Near, double NearShare);

/// <summary>The maxSequenceLength that keeps 95% and 99% of the training examples whole, capped by the model's positions.</summary>
public sealed record LengthAdvice(int KeepsNinetyFivePercent, int KeepsNinetyNinePercent, int ModelMaximum);

/// <summary>Optimizer steps and what they should take on the configured GPU profile.</summary>
public sealed record TrainingEstimate
{
    public required int TrainingExamples { get; init; }

    /// <summary>Samples one epoch steps over: the training examples, QA windows, or pre-training instances (all passes).</summary>
    public long TrainingSamples { get; init; }

    public required int StepsPerEpoch { get; init; }

    public required int Steps { get; init; }

    public required int Evaluations { get; init; }

    public required string GpuProfile { get; init; }

    public required double SecondsPerStep { get; init; }

    /// <summary>Training steps plus evaluations (the one before fine-tuning included).</summary>
    public required double Seconds { get; init; }

    /// <summary>What <see cref="Seconds"/> cost at the profile's price per GPU hour; null where the profile has no price.</summary>
    public double? Cost { get; init; }

    /// <summary>The price the cost is computed at.</summary>
    public double? PricePerHour { get; init; }

    public string? Currency { get; init; }

    /// <summary>The assumption behind the figures, in words.</summary>
    public required string Assumption { get; init; }
}
