namespace BertPlatform.Shared.Contracts;

/// <summary>
/// Training settings of a job. Defaults follow the BERT paper's fine-tuning recipe (appendix A.3) and the
/// Hugging Face Trainer where the paper is silent.
/// </summary>
public sealed record Hyperparameters
{
    /// <summary>Paper grid: 2-4 epochs.</summary>
    public int Epochs { get; init; } = 3;

    /// <summary>Paper grid: 16 or 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Paper grid: 5e-5, 3e-5, 2e-5.</summary>
    public double LearningRate { get; init; } = 3e-5;

    /// <summary>Tokens per sequence after truncation (mBERT allows up to 512).</summary>
    public int MaxSequenceLength { get; init; } = 128;

    /// <summary>Share of the optimizer steps spent warming the learning rate up linearly (paper: 10%).</summary>
    public double WarmupRatio { get; init; } = 0.1;

    /// <summary>AdamW decoupled weight decay, not applied to biases and LayerNorm weights.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>AdamW epsilon (BERT used 1e-6).</summary>
    public double AdamEpsilon { get; init; } = 1e-6;

    /// <summary>Global gradient-norm clip; 0 turns clipping off.</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Micro-batches summed before each optimizer step; effective batch = BatchSize × this.</summary>
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>
    /// Stop after this many optimizer steps whatever <see cref="Epochs"/> says (the Hugging Face Trainer's max_steps):
    /// the schedule's warm-up and decay, the progress and the run plan are computed over it, and the data is
    /// repeated or cut short as needed. Null trains for <see cref="Epochs"/> epochs.
    /// </summary>
    public int? MaxSteps { get; init; }

    /// <summary>Evaluate every N optimizer steps; null evaluates at each epoch's end only.</summary>
    public int? EvalSteps { get; init; }

    /// <summary>Stop after this many evaluations without improvement of the best-model metric; null never stops early.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>Metric that picks the best checkpoint (e.g. "accuracy", "f1"); null picks the task's primary metric.</summary>
    public string? MetricForBestModel { get; init; }

    /// <summary>Share of the training data held out for evaluation when the job names no validation dataset.</summary>
    public double ValidationSplit { get; init; } = 0.1;

    /// <summary>Seeds initialisation, shuffling, dropout and the hold-out split, so CPU runs repeat exactly.</summary>
    public int Seed { get; init; } = 42;

    public static Hyperparameters Default { get; } = new();
}
