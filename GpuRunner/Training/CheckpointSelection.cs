using BertPlatform.Shared.Metrics;

namespace BertPlatform.GpuRunner.Training;

/// <summary>
/// The rule that picks the published checkpoint: the better selection metric, and on a tie the lower evaluation
/// loss. Without the tie-break a metric that plateaus (accuracy over a few hundred masks stays put while the loss
/// keeps falling) would publish the earliest, worst-loss checkpoint of the plateau.
/// </summary>
public sealed record CheckpointSelection(string Metric)
{
    /// <summary>The metric that decides between checkpoints equal on <see cref="Metric"/>.</summary>
    public const string TieBreaker = "eval_loss";

    /// <summary>Losses, perplexity and squared error fall as a model improves; every other metric rises.</summary>
    public bool LowerIsBetter =>
        Metric.EndsWith("loss", StringComparison.Ordinal) || Metric is MetricNames.Perplexity or MetricNames.MeanSquaredError;

    /// <summary>Whether <paramref name="candidate"/> beats the best evaluation so far (none yet: it does).</summary>
    public bool IsBetter(IReadOnlyDictionary<string, double> candidate, IReadOnlyDictionary<string, double>? best)
    {
        if (!candidate.TryGetValue(Metric, out var value))
            throw new InvalidOperationException(
                $"The metric '{Metric}' chosen for the best model is not one this task computes ({string.Join(", ", candidate.Keys)}).");
        if (best is null || !best.TryGetValue(Metric, out var bestValue) || double.IsNaN(bestValue)) return !double.IsNaN(value);
        if (value != bestValue) return LowerIsBetter ? value < bestValue : value > bestValue;
        return Metric != TieBreaker
               && candidate.TryGetValue(TieBreaker, out var loss) && best.TryGetValue(TieBreaker, out var bestLoss) && loss < bestLoss;
    }

    /// <summary>The rule in words, for the job's events and the model card.</summary>
    public string Describe() =>
        $"the {(LowerIsBetter ? "lowest" : "highest")} held-out {Metric}" + (Metric == TieBreaker ? "" : $", ties broken by the lower {TieBreaker}");
}
