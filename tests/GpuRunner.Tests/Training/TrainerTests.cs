using BertPlatform.Shared.Metrics;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Tasks;
using BertPlatform.GpuRunner.Training;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tests.Training;

public sealed class TrainerTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("trainer-tests-").FullName;
    private readonly BertTextTokenizer tokenizer;
    private readonly TextClassificationTask task;
    private readonly List<TextClassificationFeature> train, validation;

    private static readonly Hyperparameters hyperparameters = new()
    {
        Epochs = 4, BatchSize = 16, LearningRate = 3e-3, WarmupRatio = 0.1, MaxSequenceLength = 32, Seed = 7, EvalSteps = 10,
    };

    public TrainerTests()
    {
        tokenizer = SyntheticTextClassification.WriteTokenizer(Path.Combine(directory, "tokenizer"));
        task = new TextClassificationTask(ProblemType.SingleLabelClassification, new LabelSpace(SyntheticTextClassification.Topics), tokenizer.PadTokenId);
        train = SyntheticTextClassification.Examples(640, seed: 1).Select(e => task.Encode(e, tokenizer, 32)).ToList();
        validation = SyntheticTextClassification.Examples(60, seed: 2).Select(e => task.Encode(e, tokenizer, 32)).ToList();
    }

    private BertTaskModel NewModel()
    {
        random.manual_seed(hyperparameters.Seed);
        var config = new BertConfig
        {
            VocabSize = tokenizer.VocabSize, HiddenSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, IntermediateSize = 128,
            MaxPositionEmbeddings = 64, NumLabels = 3,
        };
        return BertModels.Create(config, "BertForSequenceClassification");
    }

    private Trainer<TextClassificationFeature> NewTrainer(BertTaskModel model, string checkpointDirectory, IJobProgress progress) =>
        new(model, task, train, validation, hyperparameters, MetricNames.Accuracy, CPU, new TrainingCheckpoint(checkpointDirectory), progress, (_, _) => Task.CompletedTask);

    /// <summary>
    /// Resume tests compare runs bit for bit, which needs no accuracy: 2 epochs of 320 examples (20 steps each) with an
    /// evaluation and a checkpoint every 10 steps cover a stop mid-epoch, the epoch boundary and the best-model copy.
    /// </summary>
    private static readonly Hyperparameters resumeHyperparameters = hyperparameters with { Epochs = 2 };

    private const int ResumeExamples = 320, ResumeStopStep = 30;

    /// <summary>A run whose checkpoints are uploaded to <paramref name="uploads"/> (the trainer prunes them locally after).</summary>
    private Trainer<TextClassificationFeature> NewResumeTrainer(BertTaskModel model, string checkpointDirectory, IJobProgress progress, UploadedCheckpoints uploads) =>
        new(model, task, train.Take(ResumeExamples).ToList(), validation, resumeHyperparameters, MetricNames.Accuracy, CPU,
            new TrainingCheckpoint(checkpointDirectory), progress, uploads.UploadFrom(checkpointDirectory));

    private UploadedCheckpoints NewUploads(string name) => new(Path.Combine(directory, "uploaded-" + name));

    [Fact]
    public async Task Fine_tuning_lowers_the_loss_and_lifts_accuracy_well_above_chance()
    {
        using var model = NewModel();
        var log = new RecordingProgress();
        var trainer = NewTrainer(model, Path.Combine(directory, "run"), log);
        var before = trainer.Evaluate();

        var result = await trainer.TrainAsync(CancellationToken.None);

        // Three balanced classes: the untrained model scores about 1/3 and training reaches about 1.
        Assert.True(result.BestMetrics["accuracy"] - before["accuracy"] >= 0.4,
            $"accuracy {before["accuracy"]} before training, {result.BestMetrics["accuracy"]} after");
        var finalLoss = result.Evaluations[^1].Metrics["eval_loss"];
        Assert.True(finalLoss < before["eval_loss"] / 2, $"eval loss {before["eval_loss"]} -> {finalLoss}");
        var losses = log.TrainingLosses;
        Assert.True(losses[^1] < losses[0] / 2, $"training loss {losses[0]} -> {losses[^1]}");
        Assert.Equal(4 * 40, result.Steps); // 640 examples / 16 = 40 steps per epoch, 4 epochs
        // The split covers the run: training, the evaluations (the one before training included), checkpoint waits.
        var split = result.WallTime;
        Assert.True(split.TrainingSeconds > 0 && split.EvaluationSeconds > 0 && split.CheckpointSeconds >= 0, split.ToString());
        Assert.True(split.TrainingSeconds + split.CheckpointSeconds <= result.TrainSeconds, $"{split} vs {result.TrainSeconds} s in TrainAsync");
    }

    [Fact]
    public async Task A_tie_in_the_primary_metric_with_a_falling_loss_publishes_the_lower_loss_step()
    {
        using var model = NewModel();
        // Accuracy over 60 examples reaches its ceiling within two epochs while the loss keeps falling: a plateau.
        var trainer = new Trainer<TextClassificationFeature>(model, task, train, validation, hyperparameters with { Epochs = 2 },
            MetricNames.Accuracy, CPU, new TrainingCheckpoint(Path.Combine(directory, "tie")), new RecordingProgress(), (_, _) => Task.CompletedTask);
        var result = await trainer.TrainAsync(CancellationToken.None);

        var top = result.Evaluations.Max(e => e.Metrics["accuracy"]);
        var plateau = result.Evaluations.Where(e => e.Metrics["accuracy"] == top).ToList();
        Assert.True(plateau.Select(e => e.Metrics["eval_loss"]).Distinct().Count() >= 2,
            $"the run must tie on accuracy with different losses: {string.Join(", ", result.Evaluations.Select(e => $"{e.Step}: {e.Metrics["accuracy"]}/{e.Metrics["eval_loss"]:0.0000}"))}");
        var lowestLoss = plateau.MinBy(e => e.Metrics["eval_loss"])!;
        Assert.Equal(lowestLoss.Step, result.BestStep);
        Assert.NotEqual(plateau[0].Step, result.BestStep);
        Assert.Equal(lowestLoss.Metrics["eval_loss"], result.BestMetrics["eval_loss"]);
    }

    [Fact]
    public async Task A_run_interrupted_and_resumed_from_its_uploaded_checkpoint_ends_exactly_like_an_uninterrupted_one()
    {
        TrainingResult uninterrupted;
        using (var model = NewModel())
            uninterrupted = await NewResumeTrainer(model, Path.Combine(directory, "straight"), new RecordingProgress(), NewUploads("straight"))
                .TrainAsync(CancellationToken.None);

        var resumedDirectory = Path.Combine(directory, "resumed");
        var uploads = NewUploads("resumed");
        using (var model = NewModel())
        {
            using var cancel = new CancellationTokenSource();
            // Stop in the middle of the second epoch (steps 21-40).
            var observer = new RecordingProgress { OnLog = step => { if (step == ResumeStopStep) cancel.Cancel(); } };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NewResumeTrainer(model, resumedDirectory, observer, uploads).TrainAsync(cancel.Token));
        }
        // The interrupted attempt pruned its last checkpoint after uploading it: only the upload can resume the run.
        Assert.False(Directory.Exists(Path.Combine(resumedDirectory, TrainingCheckpoint.LastFolder)));
        uploads.RestoreInto(resumedDirectory);
        TrainingResult resumed;
        using (var model = NewModel())
            resumed = await NewResumeTrainer(model, resumedDirectory, new RecordingProgress(), uploads).TrainAsync(CancellationToken.None);

        Assert.True(resumed.Resumed);
        Assert.Equal(2 * 20, resumed.Steps);
        Assert.Equal(uninterrupted.Steps, resumed.Steps);
        Assert.Equal(uninterrupted.BestStep, resumed.BestStep);
        Assert.Equal(uninterrupted.BestMetrics, resumed.BestMetrics);
        Assert.Equal(
            uninterrupted.Evaluations.Select(e => (e.Step, e.Metrics["eval_loss"])),
            resumed.Evaluations.Select(e => (e.Step, e.Metrics["eval_loss"])));
        Assert.Equal(File.ReadAllBytes(Path.Combine(directory, "straight", "best", "model.safetensors")),
            File.ReadAllBytes(Path.Combine(resumedDirectory, "best", "model.safetensors")));
    }

    [Fact]
    public async Task After_each_uploaded_checkpoint_only_the_best_weights_stay_on_local_disk()
    {
        var local = Path.Combine(directory, "pruned");
        var uploads = NewUploads("pruned");
        using (var model = NewModel())
            await NewResumeTrainer(model, local, new RecordingProgress(), uploads).TrainAsync(CancellationToken.None);

        // Evaluations at steps 10, 20 (end of epoch 1), 30 and 40 (end of epoch 2): four checkpoints, each uploading last/.
        Assert.Equal(4, uploads.Uploads.Count);
        Assert.All(uploads.Uploads, u => Assert.Contains(TrainingCheckpoint.LastFolder, u.Folders));
        // While an upload runs, the local disk holds that checkpoint and the best weights; nothing else, no leftovers of a swap.
        string[] best = ["best/config.json", "best/model.safetensors"];
        string[] last = ["last/config.json", "last/model.safetensors", "last/optimizer.safetensors", "last/trainer_state.json"];
        Assert.All(uploads.Uploads, u => Assert.Equal([.. best, .. last], u.LocalFiles));
        // Afterwards only the best weights, which publishing copies; the last checkpoint is only in the upload.
        Assert.Equal(best, UploadedCheckpoints.Files(local));
        Assert.Equal([.. best, .. last], uploads.StoredFiles);
    }

    [Fact]
    public async Task A_streamed_source_is_counted_once_replayed_each_epoch_and_resumed_exactly()
    {
        var passes = 0;
        var streamed = new StreamingTrainingData<TextClassificationFeature>(() => { passes++; return train.Take(ResumeExamples); });
        Trainer<TextClassificationFeature> NewStreamingTrainer(BertTaskModel model, string name, IJobProgress progress, UploadedCheckpoints uploads) =>
            new(model, task, streamed, validation, resumeHyperparameters, MetricNames.Accuracy, CPU, new TrainingCheckpoint(Path.Combine(directory, name)), progress,
                uploads.UploadFrom(Path.Combine(directory, name)));

        TrainingResult straight;
        using (var model = NewModel())
            straight = await NewStreamingTrainer(model, "stream-straight", new RecordingProgress(), NewUploads("stream-straight")).TrainAsync(CancellationToken.None);
        Assert.Equal(1 + 2, passes); // one counting pass, then one per epoch
        Assert.Equal(2 * 20, straight.Steps);

        var uploads = NewUploads("stream-resumed");
        using (var model = NewModel())
        {
            using var cancel = new CancellationTokenSource();
            var observer = new RecordingProgress { OnLog = step => { if (step == ResumeStopStep) cancel.Cancel(); } };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NewStreamingTrainer(model, "stream-resumed", observer, uploads).TrainAsync(cancel.Token));
        }
        uploads.RestoreInto(Path.Combine(directory, "stream-resumed"));
        TrainingResult resumed;
        using (var model = NewModel())
            resumed = await NewStreamingTrainer(model, "stream-resumed", new RecordingProgress(), uploads).TrainAsync(CancellationToken.None);
        Assert.Equal(straight.BestMetrics, resumed.BestMetrics);
        Assert.Equal(File.ReadAllBytes(Path.Combine(directory, "stream-straight", "best", "model.safetensors")),
            File.ReadAllBytes(Path.Combine(directory, "stream-resumed", "best", "model.safetensors")));
    }

    [Fact]
    public async Task Early_stopping_ends_the_run_after_the_patience_runs_out()
    {
        using var model = NewModel();
        // A learning rate of zero never improves on the first evaluation.
        var frozen = hyperparameters with { LearningRate = 0, EarlyStoppingPatience = 2, EvalSteps = 5 };
        var trainer = new Trainer<TextClassificationFeature>(model, task, train, validation, frozen, MetricNames.Accuracy, CPU,
            new TrainingCheckpoint(Path.Combine(directory, "early")), new RecordingProgress(), (_, _) => Task.CompletedTask);
        var result = await trainer.TrainAsync(CancellationToken.None);
        Assert.True(result.StoppedEarly);
        Assert.Equal(15, result.Steps); // evaluations at 5 (best), 10, 15: two without improvement
        Assert.Equal(5, result.BestStep);
    }

    [Theory]
    [InlineData(1, 55)]   // 40 steps per epoch: maxSteps runs on into a second epoch and ends it at step 15
    [InlineData(4, 12)]   // maxSteps ends the first epoch early although 4 were asked for
    public async Task MaxSteps_takes_exactly_that_many_optimizer_steps_and_the_schedule_warms_up_and_decays_to_0_over_them(int epochs, int maxSteps)
    {
        using var model = NewModel();
        var log = new RecordingProgress();
        var hp = hyperparameters with { Epochs = epochs, MaxSteps = maxSteps, EvalSteps = null };
        var trainer = new Trainer<TextClassificationFeature>(model, task, train, validation, hp, MetricNames.Accuracy, CPU,
            new TrainingCheckpoint(Path.Combine(directory, $"max-steps-{maxSteps}")), log, (_, _) => Task.CompletedTask) { LoggingSteps = 1 };

        var result = await trainer.TrainAsync(CancellationToken.None);

        // One train event per optimizer step (LoggingSteps = 1), numbered 1..maxSteps, progress ending at 1.
        Assert.Equal(maxSteps, result.Steps);
        Assert.Equal(Enumerable.Range(1, maxSteps), log.Steps);
        Assert.Equal(1.0, log.Fractions[^1], 12);
        // Warm-up over 10% of maxSteps (rounded up), the peak right after it, then linear decay that reaches 0 at maxSteps.
        var warmup = (int)Math.Ceiling(0.1 * maxSteps);
        var peak = hp.LearningRate;
        Assert.Equal(peak / warmup, log.LearningRates[1], 12);
        Assert.Equal(peak, log.LearningRates[warmup], 12);
        Assert.Equal(peak / (maxSteps - warmup), log.LearningRates[^1], 12);
        Assert.Equal(0, LearningRateSchedule.LinearWithWarmup(peak, maxSteps, warmup, maxSteps));
        // The run is scored at its last step although maxSteps ended it mid-epoch.
        Assert.Equal(maxSteps, result.Evaluations[^1].Step);
        Assert.Contains(log.Logs, m => m.Contains($"schedule: {maxSteps} optimizer steps", StringComparison.Ordinal) && m.Contains("set by maxSteps", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>Collects the training losses the trainer reports, and lets a test act at a given step.</summary>
    private sealed class RecordingProgress : IJobProgress
    {
        public List<double> TrainingLosses { get; } = [];

        public List<double> LearningRates { get; } = [];

        public List<int> Steps { get; } = [];

        public List<double> Fractions { get; } = [];

        public List<string> Logs { get; } = [];

        public Action<int>? OnLog { get; init; }

        public Task ReportAsync(JobEventKind kind, string message, double? fraction, IReadOnlyDictionary<string, double>? metrics, CancellationToken ct)
        {
            if (kind == JobEventKind.Train)
            {
                TrainingLosses.Add(metrics!["loss"]);
                LearningRates.Add(metrics["learning_rate"]);
                Steps.Add((int)metrics["step"]);
                Fractions.Add(fraction ?? double.NaN);
                OnLog?.Invoke((int)metrics["step"]);
            }
            if (kind == JobEventKind.Log) Logs.Add(message);
            return Task.CompletedTask;
        }
    }
}
