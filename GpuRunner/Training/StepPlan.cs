using System.Globalization;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.GpuRunner.Training;

/// <summary>
/// How many optimizer steps a run takes: every epoch of the data, or exactly <see cref="Hyperparameters.MaxSteps"/>
/// when the job sets it (as the Hugging Face Trainer's max_steps: epochs are then as many as the steps need, the last
/// one cut short). The learning-rate schedule, the progress and the ETA are all computed over <see cref="TotalSteps"/>.
/// </summary>
public sealed record StepPlan(int Examples, int MicroBatchesPerEpoch, int StepsPerEpoch, int TotalSteps, bool LimitedByMaxSteps)
{
    public static StepPlan For(int examples, Hyperparameters hp)
    {
        var microBatches = (examples + hp.BatchSize - 1) / hp.BatchSize;
        var stepsPerEpoch = (microBatches + hp.GradientAccumulationSteps - 1) / hp.GradientAccumulationSteps;
        return hp.MaxSteps is { } maxSteps
            ? new StepPlan(examples, microBatches, stepsPerEpoch, maxSteps, true)
            : new StepPlan(examples, microBatches, stepsPerEpoch, stepsPerEpoch * hp.Epochs, false);
    }

    /// <summary>Passes over the training data the run makes (fractional when maxSteps ends it mid-epoch).</summary>
    public double Epochs => (double)TotalSteps / Math.Max(1, StepsPerEpoch);

    /// <summary>One sentence for the job's log, in the user's units.</summary>
    public string Describe(Hyperparameters hp)
    {
        var epochs = string.Create(CultureInfo.InvariantCulture, $"{StepsPerEpoch:N0} steps per epoch, {(Epochs >= 0.01 ? $"{Epochs:0.##} epochs" : "under 0.01 of an epoch")}");
        if (LimitedByMaxSteps) epochs += string.Create(CultureInfo.InvariantCulture, $", set by maxSteps {TotalSteps} rather than epochs {hp.Epochs}");
        return string.Create(CultureInfo.InvariantCulture,
            $"schedule: {TotalSteps:N0} optimizer steps of {hp.BatchSize * hp.GradientAccumulationSteps} examples over {Examples:N0} training examples ({epochs}); learning rate warms up over {LearningRateSchedule.WarmupSteps(hp.WarmupRatio, TotalSteps):N0} steps and decays to 0 at step {TotalSteps:N0}");
    }
}
