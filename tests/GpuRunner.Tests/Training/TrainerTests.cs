using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Tasks;
using BertPlatform.GpuRunner.Training;
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

    private Trainer<TextClassificationFeature> NewTrainer(BertTaskModel model, string checkpointDirectory, ITrainingObserver observer) =>
        new(model, task, train, validation, hyperparameters, CPU, new TrainingCheckpoint(checkpointDirectory), observer);

    [Fact]
    public async Task Fine_tuning_lowers_the_loss_and_lifts_accuracy_well_above_chance()
    {
        using var model = NewModel();
        var log = new RecordingObserver();
        var trainer = NewTrainer(model, Path.Combine(directory, "run"), log);
        var before = trainer.Evaluate();

        var result = await trainer.TrainAsync(CancellationToken.None);

        Assert.InRange(before["accuracy"], 0.0, 0.6); // three balanced classes: chance is 1/3
        Assert.True(result.BestMetrics["accuracy"] >= 0.9, $"accuracy after training: {result.BestMetrics["accuracy"]}");
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
    public async Task A_run_interrupted_and_resumed_ends_exactly_like_an_uninterrupted_one()
    {
        TrainingResult uninterrupted;
        using (var model = NewModel())
            uninterrupted = await NewTrainer(model, Path.Combine(directory, "straight"), new RecordingObserver()).TrainAsync(CancellationToken.None);

        var resumedDirectory = Path.Combine(directory, "resumed");
        using (var model = NewModel())
        {
            using var cancel = new CancellationTokenSource();
            // Stop in the middle of the second epoch (steps 41-80).
            var observer = new RecordingObserver { OnLog = step => { if (step == 50) cancel.Cancel(); } };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NewTrainer(model, resumedDirectory, observer).TrainAsync(cancel.Token));
        }
        TrainingResult resumed;
        using (var model = NewModel())
            resumed = await NewTrainer(model, resumedDirectory, new RecordingObserver()).TrainAsync(CancellationToken.None);

        Assert.True(resumed.Resumed);
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
    public async Task A_streamed_source_is_counted_once_replayed_each_epoch_and_resumed_exactly()
    {
        var passes = 0;
        var streamed = new StreamingTrainingData<TextClassificationFeature>(() => { passes++; return train.Select(f => f); });
        Trainer<TextClassificationFeature> NewStreamingTrainer(BertTaskModel model, string name, ITrainingObserver observer) =>
            new(model, task, streamed, validation, hyperparameters with { Epochs = 2 }, CPU, new TrainingCheckpoint(Path.Combine(directory, name)), observer);

        TrainingResult straight;
        using (var model = NewModel())
            straight = await NewStreamingTrainer(model, "stream-straight", new RecordingObserver()).TrainAsync(CancellationToken.None);
        Assert.Equal(1 + 2, passes); // one counting pass, then one per epoch
        Assert.Equal(2 * 40, straight.Steps);
        Assert.True(straight.BestMetrics["accuracy"] >= 0.9, $"accuracy {straight.BestMetrics["accuracy"]}");

        using (var model = NewModel())
        {
            using var cancel = new CancellationTokenSource();
            var observer = new RecordingObserver { OnLog = step => { if (step == 50) cancel.Cancel(); } };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NewStreamingTrainer(model, "stream-resumed", observer).TrainAsync(cancel.Token));
        }
        TrainingResult resumed;
        using (var model = NewModel())
            resumed = await NewStreamingTrainer(model, "stream-resumed", new RecordingObserver()).TrainAsync(CancellationToken.None);
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
        var trainer = new Trainer<TextClassificationFeature>(model, task, train, validation, frozen, CPU,
            new TrainingCheckpoint(Path.Combine(directory, "early")), new RecordingObserver());
        var result = await trainer.TrainAsync(CancellationToken.None);
        Assert.True(result.StoppedEarly);
        Assert.Equal(15, result.Steps); // evaluations at 5 (best), 10, 15: two without improvement
        Assert.Equal(5, result.BestStep);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private sealed class RecordingObserver : ITrainingObserver
    {
        public List<double> TrainingLosses { get; } = [];

        public Action<int>? OnLog { get; init; }

        public Task OnTrainingLogAsync(int step, int totalSteps, double epoch, IReadOnlyDictionary<string, double> metrics)
        {
            TrainingLosses.Add(metrics["loss"]);
            OnLog?.Invoke(step);
            return Task.CompletedTask;
        }

        public Task OnEvaluationAsync(int step, int totalSteps, double epoch, IReadOnlyDictionary<string, double> metrics, bool isBest) => Task.CompletedTask;

        public Task OnCheckpointSavedAsync(int step) => Task.CompletedTask;
    }
}
