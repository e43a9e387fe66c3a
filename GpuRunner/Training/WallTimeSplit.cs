namespace BertPlatform.GpuRunner.Training;

/// <summary>
/// Where a run's wall time went: optimizer steps (forward, backward, update), evaluations (a baseline evaluation
/// included), and the time the loop waited for checkpoint writes (the writes themselves overlap training).
/// </summary>
public sealed record WallTimeSplit(double TrainingSeconds, double EvaluationSeconds, double CheckpointSeconds)
{
    /// <summary>As job metrics: <c>time_training_seconds</c>, <c>time_evaluation_seconds</c>, <c>time_checkpoint_seconds</c>.</summary>
    public Dictionary<string, double> ToMetrics() => new()
    {
        ["time_training_seconds"] = Math.Round(TrainingSeconds, 3),
        ["time_evaluation_seconds"] = Math.Round(EvaluationSeconds, 3),
        ["time_checkpoint_seconds"] = Math.Round(CheckpointSeconds, 3),
    };
}
