namespace BertPlatform.Shared.Insight;

/// <summary>
/// What a dataset will look like to the model before any training: computed with the base model's own tokenizer at
/// the job's maxSequenceLength. Returned when a job is submitted, stored with it, and available for any dataset.
/// </summary>
public sealed record PreflightReport
{
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

    /// <summary>Whether the dataset has more examples than were analysed.</summary>
    public bool Sampled { get; init; }

    public required TokenPercentiles TokensPerExample { get; init; }

    /// <summary>Examples longer than maxSequenceLength, which training cuts.</summary>
    public required int Truncated { get; init; }

    public required double TruncatedShare { get; init; }

    /// <summary>Tokens cut off in all, over the truncated examples.</summary>
    public required long TokensLost { get; init; }

    /// <summary>Word-piece tokens of the texts (special tokens not counted).</summary>
    public required long TextTokens { get; init; }

    public required long UnknownTokens { get; init; }

    /// <summary>[UNK] tokens over text tokens.</summary>
    public required double UnknownRate { get; init; }

    /// <summary>Examples per label (each label of a multi-label example counts); empty for regression.</summary>
    public required IReadOnlyDictionary<string, int> Labels { get; init; }

    /// <summary>Largest over smallest label count; null with fewer than two labels.</summary>
    public double? ImbalanceRatio { get; init; }

    /// <summary>Examples per language: the dataset's language column where it has one, else detected (see <see cref="LanguageSource"/>).</summary>
    public required IReadOnlyDictionary<string, int> Languages { get; init; }

    /// <summary>"column", or "detected on the first N examples".</summary>
    public required string LanguageSource { get; init; }
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

    public required int StepsPerEpoch { get; init; }

    public required int Steps { get; init; }

    public required int Evaluations { get; init; }

    public required string GpuProfile { get; init; }

    public required double SecondsPerStep { get; init; }

    /// <summary>Training steps plus evaluations (the one before fine-tuning included).</summary>
    public required double Seconds { get; init; }

    /// <summary>Null where the profile has no price.</summary>
    public double? Cost { get; init; }

    public string? Currency { get; init; }

    /// <summary>The assumption behind the figures, in words.</summary>
    public required string Assumption { get; init; }
}
