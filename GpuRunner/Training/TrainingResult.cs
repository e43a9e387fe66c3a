namespace BertPlatform.GpuRunner.Training;

/// <summary>How a run ended: the best evaluation (the published model's), the final state, and timings.</summary>
public sealed record TrainingResult(
    IReadOnlyDictionary<string, double> BestMetrics,
    int BestStep,
    int Steps,
    bool StoppedEarly,
    bool Resumed,
    double TrainSeconds,
    IReadOnlyList<EvaluationRecord> Evaluations,
    WallTimeSplit WallTime);
