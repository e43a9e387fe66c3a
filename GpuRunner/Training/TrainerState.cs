namespace BertPlatform.GpuRunner.Training;

/// <summary>
/// Everything besides weights and optimizer moments that a resumed run needs to continue exactly where the
/// interrupted one stopped. Serialised as trainer_state.json in the checkpoint.
/// </summary>
public sealed class TrainerState
{
    /// <summary>Optimizer steps taken so far.</summary>
    public int Step { get; set; }

    public int Epoch { get; set; }

    /// <summary>Micro-batches of <see cref="Epoch"/> already consumed (always at an optimizer-step boundary).</summary>
    public int MicroBatchInEpoch { get; set; }

    public double? BestMetric { get; set; }

    public int? BestStep { get; set; }

    public int EvaluationsWithoutImprovement { get; set; }

    /// <summary>True once early stopping ended the run, so a redelivered job does not train further.</summary>
    public bool Stopped { get; set; }

    public Dictionary<string, double>? BestMetrics { get; set; }

    public List<EvaluationRecord> Evaluations { get; set; } = [];
}

public sealed record EvaluationRecord(int Step, double Epoch, Dictionary<string, double> Metrics);
