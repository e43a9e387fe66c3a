using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Insight;

/// <summary>
/// The job's optimizer steps, counted as the trainer counts them, and their duration on a <see cref="GpuProfile"/>:
/// a step costs its samples times their mean length after truncation over 128 (length-grouped batches pad little),
/// divided by the profile's throughput; an evaluation sample a third of that.
/// </summary>
public static class TrainingEstimator
{
    private const double ReferenceLength = 128;

    /// <param name="validation">The sets every evaluation scores; none: the trainer holds out part of the training data.</param>
    public static TrainingEstimate Estimate(DatasetProfiler training, IReadOnlyList<DatasetProfiler> validation, Hyperparameters hp, GpuProfile gpu)
    {
        // Without a validation dataset the trainer holds out a share of the training data (HoldOutSplit's rounding).
        var heldOut = validation.Count == 0 ? Math.Clamp((int)Math.Round(training.Count * hp.ValidationSplit), 1, Math.Max(1, training.Count - 1)) : 0;
        var trainingExamples = training.Count - heldOut;
        var microBatches = (trainingExamples + hp.BatchSize - 1) / hp.BatchSize;
        var stepsPerEpoch = (microBatches + hp.GradientAccumulationSteps - 1) / hp.GradientAccumulationSteps;
        var steps = stepsPerEpoch * hp.Epochs;
        // One before fine-tuning, one per epoch, plus every evalSteps inside an epoch.
        var evaluations = 1 + hp.Epochs + (hp.EvalSteps is { } every ? hp.Epochs * ((stepsPerEpoch - 1) / every) : 0);

        var secondsPerSample = training.MeanLengthAfterTruncation / ReferenceLength / gpu.TrainingSamplesPerSecond;
        var secondsPerStep = hp.BatchSize * hp.GradientAccumulationSteps * secondsPerSample;
        // Tokens one evaluation scores: every set's examples times their mean kept length.
        var evaluationTokens = validation.Count == 0 ? heldOut * training.MeanLengthAfterTruncation : validation.Sum(v => v.Count * v.MeanLengthAfterTruncation);
        var evaluationSeconds = evaluations * evaluationTokens / ReferenceLength / gpu.TrainingSamplesPerSecond / 3;
        var seconds = trainingExamples * hp.Epochs * secondsPerSample + evaluationSeconds;
        return new TrainingEstimate
        {
            TrainingExamples = trainingExamples,
            StepsPerEpoch = stepsPerEpoch,
            Steps = steps,
            Evaluations = evaluations,
            GpuProfile = gpu.Name,
            SecondsPerStep = Math.Round(secondsPerStep, 4),
            Seconds = Math.Round(seconds, 1),
            Cost = gpu.PricePerHour is { } price ? Math.Round(seconds / 3600 * price, 4) : null,
            Currency = gpu.PricePerHour is null ? null : gpu.Currency,
            Assumption = gpu.Describe(),
        };
    }
}
