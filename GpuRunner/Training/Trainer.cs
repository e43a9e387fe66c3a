using TorchSharp;
using System.Diagnostics;
using System.Globalization;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.Shared.Contracts;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Training;

/// <summary>
/// One training loop for every task: AdamW with linear warm-up and decay, gradient accumulation and clipping,
/// evaluation every N steps and at each epoch, early stopping, the best model kept, and checkpoints that resume a
/// run bit for bit (dropout is reseeded from the step, the data order from the epoch, the schedule is a function).
/// It reports straight to the job's progress (train and eval events) and hands each checkpoint it writes to
/// <c>uploadCheckpoint</c> (with the checkpoint folders written), so a redelivered job resumes from it; once that
/// upload has succeeded the local <c>last/</c> is deleted, so the local disk holds at most one of them.
/// </summary>
public sealed class Trainer<TFeature>(
    BertTaskModel model,
    ITrainingTask<TFeature> task,
    ITrainingData<TFeature> trainingData,
    IReadOnlyList<TFeature> evaluationSet,
    Hyperparameters hyperparameters,
    string metricForBestModel,
    Device device,
    TrainingCheckpoint checkpoint,
    IJobProgress progress,
    Func<IReadOnlyList<string>, CancellationToken, Task> uploadCheckpoint) where TFeature : ISequenceFeature
{
    public Trainer(BertTaskModel model, ITrainingTask<TFeature> task, IReadOnlyList<TFeature> trainingSet, IReadOnlyList<TFeature> evaluationSet,
        Hyperparameters hyperparameters, string metricForBestModel, Device device, TrainingCheckpoint checkpoint, IJobProgress progress, Func<IReadOnlyList<string>, CancellationToken, Task> uploadCheckpoint)
        : this(model, task, new InMemoryTrainingData<TFeature>(trainingSet), evaluationSet, hyperparameters, metricForBestModel, device, checkpoint,
            progress, uploadCheckpoint)
    {
    }

    /// <summary>Training metrics are reported every this many optimizer steps (and at the last).</summary>
    public int LoggingSteps { get; init; } = 10;

    /// <summary>
    /// Evaluation keeps no activations for a backward pass, so it runs larger batches than training (fewer, fuller
    /// matrix products); default: twice the training batch.
    /// </summary>
    public int? EvaluationBatchSize { get; init; }

    /// <summary>
    /// A job's named validation sets, each scored at every evaluation and reported under its name. The evaluation set
    /// the trainer selects on is one of them (the same list instance), scored once and reported both bare and named.
    /// </summary>
    public IReadOnlyList<NamedEvaluationSet<TFeature>> NamedEvaluationSets { get; init; } = [];

    private readonly Stopwatch evaluationClock = new();

    // Progress reports come from the loop and checkpoint uploads from a background checkpoint: one at a time.
    private readonly SemaphoreSlim reportGate = new(1, 1);

    private async Task OneAtATimeAsync(Func<Task> call)
    {
        await reportGate.WaitAsync();
        try
        {
            await call();
        }
        finally
        {
            reportGate.Release();
        }
    }

    /// <summary>Uploads the folders one checkpoint wrote, then prunes the local <c>last/</c> that Blob Storage now holds.</summary>
    private async Task UploadAndPruneAsync(IReadOnlyList<string> folders)
    {
        await OneAtATimeAsync(() => uploadCheckpoint(folders, CancellationToken.None));
        if (folders.Contains(TrainingCheckpoint.LastFolder)) checkpoint.PruneLast();
    }

    public async Task<TrainingResult> TrainAsync(CancellationToken cancellationToken)
    {
        var hp = hyperparameters;
        var plan = StepPlan.For(trainingData.Count, hp);
        var (microBatchesPerEpoch, totalSteps) = (plan.MicroBatchesPerEpoch, plan.TotalSteps);
        var warmupSteps = LearningRateSchedule.WarmupSteps(hp.WarmupRatio, totalSteps);
        var selection = new CheckpointSelection(metricForBestModel);

        // The optimizer must see the parameters where they will live, so move the model first.
        model.to(device);
        using var optimizer = OptimizerFactory.Create(model, hp);
        var resumed = checkpoint.HasLast;
        var state = resumed ? checkpoint.RestoreLast(model, optimizer) : new TrainerState();
        // A restored checkpoint was downloaded from Blob Storage, which keeps it; locally it is in memory now.
        if (resumed) checkpoint.PruneLast();
        var clock = Stopwatch.StartNew();
        var evaluationBefore = evaluationClock.Elapsed;
        var checkpoints = new BackgroundCheckpoints(checkpoint);

        async Task EvaluateAndCheckpointAsync()
        {
            var metrics = Evaluate();
            var epochProgress = state.Epoch + (double)state.MicroBatchInEpoch / Math.Max(1, microBatchesPerEpoch);
            state.Evaluations.Add(new EvaluationRecord(state.Step, epochProgress, metrics));
            var isBest = selection.IsBetter(metrics, state.BestMetrics);
            if (isBest)
            {
                (state.BestMetric, state.BestStep, state.BestMetrics) = (metrics[selection.Metric], state.Step, metrics);
                state.EvaluationsWithoutImprovement = 0;
            }
            else state.EvaluationsWithoutImprovement++;
            if (hp.EarlyStoppingPatience is { } patience && state.EvaluationsWithoutImprovement >= patience) state.Stopped = true;
            await OneAtATimeAsync(() => progress.ReportAsync(JobEventKind.Eval,
                string.Create(CultureInfo.InvariantCulture, $"evaluation at step {state.Step}: {MetricsText.Describe(metrics)}{(isBest ? " (best so far)" : "")}"),
                (double)state.Step / Math.Max(1, totalSteps), WithPosition(metrics, state.Step, epochProgress), CancellationToken.None));
            await checkpoints.StartAsync(model, optimizer, state, isBest, UploadAndPruneAsync);
        }

        if (!resumed)
            await OneAtATimeAsync(() => progress.ReportAsync(JobEventKind.Log, plan.Describe(hp), 0, null, CancellationToken.None));

        try
        {
            // Epochs run until the planned steps are taken: all of hp.Epochs, or as many (the last cut short) as maxSteps needs.
            while (state.Step < totalSteps && !state.Stopped)
            {
                using var batches = trainingData.Batches(state.Epoch, hp.BatchSize, hp.Seed).GetEnumerator();
                // A resumed epoch replays the batches already trained on without training on them.
                for (var skipped = 0; skipped < state.MicroBatchInEpoch; skipped++) NextBatch(batches);
                var (lossSum, lossCount, samples) = (0.0, 0, 0);
                var windowClock = Stopwatch.StartNew();
                while (state.MicroBatchInEpoch < microBatchesPerEpoch && state.Step < totalSteps && !state.Stopped)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var first = state.MicroBatchInEpoch;
                    var last = Math.Min(first + hp.GradientAccumulationSteps, microBatchesPerEpoch);
                    model.train();
                    // Dropout draws from the global generator: seeding it from the step makes a resumed run identical.
                    random.manual_seed(hp.Seed * 1_000_003L + state.Step);
                    for (var micro = first; micro < last; micro++)
                    {
                        using var scope = NewDisposeScope();
                        var features = NextBatch(batches);
                        var output = model.call(task.Collate(features, device));
                        var loss = output.Loss ?? throw new InvalidOperationException("The model returned no loss for a labelled batch.");
                        (loss / (last - first)).backward();
                        lossSum += loss.item<float>();
                        lossCount++;
                        samples += features.Count;
                    }
                    // Clipping is torch's (global norm, coefficient max/(norm+1e-6) capped at 1), applied inside the fused step.
                    var gradNorm = hp.MaxGradNorm > 0 ? optimizer.GradientNorm() : float.NaN;
                    var learningRate = LearningRateSchedule.LinearWithWarmup(hp.LearningRate, state.Step, warmupSteps, totalSteps);
                    optimizer.LearningRate = learningRate;
                    await checkpoints.BeforeUpdateAsync();
                    optimizer.Step(hp.MaxGradNorm > 0 ? FusedAdamW.ClippingScale(gradNorm, hp.MaxGradNorm) : 1f);
                    optimizer.ZeroGrad();
                    state.Step++;
                    state.MicroBatchInEpoch = last;

                    if (state.Step % LoggingSteps == 0 || state.Step == totalSteps)
                    {
                        var seconds = windowClock.Elapsed.TotalSeconds;
                        var log = new Dictionary<string, double>
                        {
                            ["loss"] = lossSum / Math.Max(1, lossCount),
                            ["learning_rate"] = learningRate,
                            ["samples_per_second"] = samples / Math.Max(seconds, 1e-9),
                        };
                        if (!float.IsNaN(gradNorm)) log["grad_norm"] = gradNorm;
                        var epoch = state.Epoch + (double)state.MicroBatchInEpoch / microBatchesPerEpoch;
                        await OneAtATimeAsync(() => progress.ReportAsync(JobEventKind.Train,
                            string.Create(CultureInfo.InvariantCulture, $"step {state.Step}/{totalSteps} epoch {epoch:0.00} loss {log["loss"]:0.0000} lr {learningRate:0.###e0}"),
                            (double)state.Step / totalSteps, WithPosition(log, state.Step, epoch), CancellationToken.None));
                        (lossSum, lossCount, samples) = (0, 0, 0);
                        windowClock.Restart();
                    }
                    if (hp.EvalSteps is { } every && state.Step % every == 0 && state.MicroBatchInEpoch < microBatchesPerEpoch)
                        await EvaluateAndCheckpointAsync();
                }
                if (state.Stopped) break;
                if (state.MicroBatchInEpoch < microBatchesPerEpoch)
                {
                    // maxSteps ended the run mid-epoch: the last step is evaluated as an epoch's end would be.
                    if (state.Evaluations.Count == 0 || state.Evaluations[^1].Step != state.Step) await EvaluateAndCheckpointAsync();
                    break;
                }
                // Count the epoch as done before its evaluation, so a checkpoint taken there resumes in the next one.
                (state.Epoch, state.MicroBatchInEpoch) = (state.Epoch + 1, 0);
                await EvaluateAndCheckpointAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // Cancelled or told to shut down: keep what was learned so a redelivered job resumes here.
            await checkpoints.SettleAsync();
            checkpoint.SaveLast(model, optimizer, state);
            await UploadAndPruneAsync([TrainingCheckpoint.LastFolder]);
            throw;
        }
        catch
        {
            // The caller disposes the model next: no checkpoint writer may still be reading its weights.
            await checkpoints.SettleAsync();
            throw;
        }

        await checkpoints.CompleteAsync();
        var checkpointClock = Stopwatch.StartNew();
        if (!checkpoint.HasBest) checkpoint.SaveBest(model);
        var checkpointSeconds = checkpoints.Waited.TotalSeconds + checkpointClock.Elapsed.TotalSeconds;
        var evaluationSeconds = (evaluationClock.Elapsed - evaluationBefore).TotalSeconds;
        var wallTime = new WallTimeSplit(clock.Elapsed.TotalSeconds - evaluationSeconds - checkpointSeconds,
            evaluationClock.Elapsed.TotalSeconds, checkpointSeconds);
        return new TrainingResult(state.BestMetrics ?? new Dictionary<string, double>(), state.BestStep ?? state.Step,
            state.Step, state.Stopped, resumed, clock.Elapsed.TotalSeconds, state.Evaluations, wallTime);
    }

    private static Dictionary<string, double> WithPosition(IReadOnlyDictionary<string, double> metrics, int step, double epoch) =>
        new(metrics) { ["step"] = step, ["epoch"] = epoch };

    private static IReadOnlyList<TFeature> NextBatch(IEnumerator<IReadOnlyList<TFeature>> batches) =>
        batches.MoveNext() ? batches.Current
            : throw new InvalidOperationException("The training data yielded fewer batches than it counted; its source must give the same examples on every pass.");

    /// <summary>
    /// One pass over the evaluation set without gradients, in batches sorted by length (least padding); adds the mean
    /// loss as eval_loss.
    /// </summary>
    public Dictionary<string, double> Evaluate()
    {
        evaluationClock.Start();
        try
        {
            return EvaluateUntimed();
        }
        finally
        {
            evaluationClock.Stop();
        }
    }

    private Dictionary<string, double> EvaluateUntimed()
    {
        var metrics = EvaluateSet(evaluationSet);
        var named = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var set in NamedEvaluationSets)
        {
            var setMetrics = ReferenceEquals(set.Features, evaluationSet) ? metrics : EvaluateSet(set.Features);
            foreach (var (name, value) in setMetrics) named[$"{set.Name}/{name}"] = value;
        }
        foreach (var (name, value) in named) metrics[name] = value;
        return metrics;
    }

    private Dictionary<string, double> EvaluateSet(IReadOnlyList<TFeature> features)
    {
        model.eval();
        var evaluation = task.BeginEvaluation();
        var (lossSum, count) = (0.0, 0);
        using (no_grad())
        {
            foreach (var indices in LengthGroupedBatches.ForEvaluation(features.Select(f => f.Length).ToArray(), EvaluationBatchSize ?? 2 * hyperparameters.BatchSize))
            {
                using (NewDisposeScope())
                {
                    var batch = indices.Select(i => features[i]).ToArray();
                    var output = model.call(task.Collate(batch, device));
                    if (output.Loss is { } loss)
                    {
                        lossSum += loss.item<float>() * batch.Length;
                        count += batch.Length;
                    }
                    evaluation.Add(batch, output);
                }
                NativeHeap.ReleaseFreePages(device); // the batch's activations are free now
            }
        }
        var metrics = new Dictionary<string, double>(evaluation.Complete());
        if (count > 0) metrics["eval_loss"] = lossSum / count;
        return metrics;
    }
}
