namespace BertPlatform.GpuRunner.Training;

/// <summary>
/// BERT's schedule: linear warm-up from 0 to the peak rate, then linear decay to 0 at the last step
/// (transformers' get_linear_schedule_with_warmup). A pure function of the step, so a resumed run needs no
/// scheduler state.
/// </summary>
public static class LearningRateSchedule
{
    /// <param name="step">Optimizer steps already taken (0 for the first update).</param>
    public static double LinearWithWarmup(double peak, int step, int warmupSteps, int totalSteps)
    {
        if (step < warmupSteps) return peak * step / Math.Max(1, warmupSteps);
        return peak * Math.Max(0.0, (double)(totalSteps - step) / Math.Max(1, totalSteps - warmupSteps));
    }

    /// <summary>Warm-up steps for a ratio of the total, rounded up as transformers does (math.ceil).</summary>
    public static int WarmupSteps(double ratio, int totalSteps) => (int)Math.Ceiling(ratio * totalSteps);
}
