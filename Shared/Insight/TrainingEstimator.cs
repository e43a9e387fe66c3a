using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Insight;

/// <summary>
/// The job's optimizer steps, counted as the trainer counts them, and their duration and cost on a
/// <see cref="GpuProfile"/>: a step costs its samples (examples, QA windows, pre-training instances) times their
/// mean length after truncation over 128 (length-grouped batches pad little), divided by the profile's throughput;
/// an evaluation sample a third of that.
/// </summary>
public static class TrainingEstimator
{
    private const double ReferenceLength = 128;

    /// <param name="validation">The sets every evaluation scores; none: the trainer holds out part of the training data.</param>
    public static TrainingEstimate Estimate(DatasetProfiler training, IReadOnlyList<DatasetProfiler> validation, PreflightSettings settings, GpuProfile gpu)
    {
        var hp = settings.Hyperparameters;
        var pretraining = settings.Task == TaskType.Pretraining;
        // Without a validation dataset the trainer holds out a share of the training data: examples by HoldOutSplit's
        // rounding, or for pre-training up to heldOutDocuments of the documents (fewer when the corpus is large).
        var units = pretraining ? training.Records : training.Count;
        var heldOut = validation.Count > 0 ? 0
            : pretraining ? (int)Math.Floor(units * (settings.Pretraining ?? new()).HeldOutDocuments)
            : Math.Clamp((int)Math.Round(units * hp.ValidationSplit), 1, Math.Max(1, units - 1));
        var trainingShare = units == 0 ? 0 : (double)(units - heldOut) / units;
        // Pre-training builds dupeFactor differently masked instances per document pair, all seen every epoch.
        var passes = pretraining ? (settings.Pretraining ?? new()).DupeFactor : 1;
        var samples = (long)Math.Round(training.Features * trainingShare) * passes;
        var microBatches = (samples + hp.BatchSize - 1) / hp.BatchSize;
        var stepsPerEpoch = (int)((microBatches + hp.GradientAccumulationSteps - 1) / hp.GradientAccumulationSteps);
        // maxSteps, as the trainer takes it, replaces the epochs: the last one may end mid-way.
        var steps = hp.MaxSteps ?? stepsPerEpoch * hp.Epochs;
        var evaluations = Evaluations(steps, Math.Max(1, stepsPerEpoch), hp.EvalSteps);

        var meanTokens = training.MeanFeatureTokens;
        var secondsPerSample = meanTokens / ReferenceLength / gpu.TrainingSamplesPerSecond;
        var secondsPerStep = hp.BatchSize * hp.GradientAccumulationSteps * secondsPerSample;
        // Tokens one evaluation scores: every set's samples times their mean kept length.
        var evaluationTokens = validation.Count == 0
            ? training.Features * (1 - trainingShare) * meanTokens
            : validation.Sum(v => v.Features * v.MeanFeatureTokens);
        var evaluationSeconds = evaluations * evaluationTokens / ReferenceLength / gpu.TrainingSamplesPerSecond / 3;
        var trainedSamples = hp.MaxSteps is { } maxSteps ? (double)maxSteps * hp.BatchSize * hp.GradientAccumulationSteps : samples * hp.Epochs;
        var seconds = trainedSamples * secondsPerSample + evaluationSeconds;
        return new TrainingEstimate
        {
            TrainingExamples = units - heldOut,
            TrainingSamples = samples,
            StepsPerEpoch = stepsPerEpoch,
            Steps = steps,
            Evaluations = evaluations,
            GpuProfile = gpu.Name,
            SecondsPerStep = Math.Round(secondsPerStep, 4),
            Seconds = Math.Round(seconds, 1),
            Cost = gpu.Price is { } price ? Math.Round(seconds / 3600 * price, 4) : null,
            PricePerHour = gpu.Price,
            Currency = gpu.Price is null ? null : gpu.Currency,
            Assumption = gpu.Describe(),
        };
    }

    /// <summary>
    /// The trainer's evaluations: one before fine-tuning, one at each epoch's end, one every evalSteps steps (counted
    /// over the whole run) that is not an epoch's end, and the last step when maxSteps ends the run mid-epoch.
    /// </summary>
    private static int Evaluations(int steps, int stepsPerEpoch, int? evalSteps)
    {
        var epochEnds = steps / stepsPerEpoch;
        var inside = evalSteps is { } every ? steps / every - (int)(steps / Lcm(every, stepsPerEpoch)) : 0;
        var endsMidEpoch = steps % stepsPerEpoch != 0 && (evalSteps is not { } e || steps % e != 0);
        return 1 + epochEnds + inside + (endsMidEpoch ? 1 : 0);
    }

    private static long Lcm(long a, long b)
    {
        static long Gcd(long x, long y) => y == 0 ? x : Gcd(y, x % y);
        return a / Gcd(a, b) * b;
    }
}
