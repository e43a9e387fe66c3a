using TorchSharp;
using System.Text.Json;
using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Export;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Training;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>
/// The part of every training job (fine-tuning or pre-training) that does not depend on the task: build the model on
/// the base checkpoint, score it before training, train, and publish the best model in the Hugging Face layout with
/// its tokenizer, metrics.json and a model card.
/// </summary>
public static class TrainingRun
{
    private static readonly JsonSerializerOptions indented = new() { WriteIndented = true };

    /// <param name="PrimaryMetric">The task's primary metric for this run (its data definition's, for the problem type).</param>
    public sealed record Plan<TFeature>(
        ITrainingTask<TFeature> Task,
        string Architecture,
        string PrimaryMetric,
        Action<BertConfig> Configure,
        ITrainingData<TFeature> TrainingSet,
        IReadOnlyList<TFeature> EvaluationSet,
        JsonObject Description) where TFeature : ISequenceFeature;

    public static async Task<JobOutcome> RunAsync<TFeature>(
        JobExecution execution, BertTextTokenizer tokenizer, Plan<TFeature> plan, Device device, CancellationToken cancellationToken)
        where TFeature : ISequenceFeature
    {
        var hp = execution.Spec.Hyperparameters;
        // New head weights draw from the global generator: seed it so a job repeats exactly.
        random.manual_seed(hp.Seed);
        var (model, report) = HuggingFaceCheckpoint.FromPretrained(execution.BaseModelDirectory, plan.Architecture, plan.Configure);
        using var disposeModel = model;
        await execution.Progress.ReportAsync(JobEventKind.Log,
            $"base model {BaseModelName(execution.Spec)} loaded as {plan.Architecture}; newly initialised: {Describe(report.MissingKeys)}; unused: {Describe(report.UnexpectedKeys)}",
            0, null, cancellationToken);

        var checkpoint = new TrainingCheckpoint(execution.CheckpointDirectory);
        var trainer = new Trainer<TFeature>(model, plan.Task, plan.TrainingSet, plan.EvaluationSet, hp, MetricForBestModel(hp, plan), device,
            checkpoint, execution.Progress, execution.SaveCheckpointAsync);

        Dictionary<string, double>? baseline = null;
        if (!checkpoint.HasLast)
        {
            model.to(device);
            baseline = trainer.Evaluate();
            await execution.Progress.ReportAsync(JobEventKind.Eval, $"before fine-tuning: {MetricsText.Describe(baseline)}", 0,
                new Dictionary<string, double>(baseline) { ["step"] = 0, ["epoch"] = 0 }, cancellationToken);
        }

        var result = await trainer.TrainAsync(cancellationToken);

        Publish(execution, tokenizer, checkpoint, plan, result, baseline);
        var outcome = new Dictionary<string, double>(result.BestMetrics);
        if (baseline != null)
            foreach (var (name, value) in baseline) outcome["baseline_" + name] = value;
        return new JobOutcome(outcome);
    }

    private static void Publish<TFeature>(JobExecution execution, BertTextTokenizer tokenizer, TrainingCheckpoint checkpoint,
        Plan<TFeature> plan, TrainingResult result, Dictionary<string, double>? baseline) where TFeature : ISequenceFeature
    {
        var output = execution.OutputDirectory;
        Directory.CreateDirectory(output);
        foreach (var file in Directory.GetFiles(checkpoint.BestDirectory))
            File.Copy(file, Path.Combine(output, Path.GetFileName(file)), overwrite: true);
        tokenizer.SaveTo(output);
        ExportOnnx(output);

        var metrics = new JsonObject
        {
            ["job_id"] = execution.JobId,
            ["task"] = JsonSerializer.SerializeToNode(execution.Spec.Task),
            ["base_model"] = BaseModelName(execution.Spec),
            ["architecture"] = plan.Architecture,
            ["primary_metric"] = MetricForBestModel(execution.Spec.Hyperparameters, plan),
            ["train_examples"] = plan.TrainingSet.Count,
            ["eval_examples"] = plan.EvaluationSet.Count,
            ["steps"] = result.Steps,
            ["best_step"] = result.BestStep,
            ["stopped_early"] = result.StoppedEarly,
            ["resumed"] = result.Resumed,
            ["train_seconds"] = Math.Round(result.TrainSeconds, 3),
            ["eval"] = JsonSerializer.SerializeToNode(result.BestMetrics),
            ["baseline"] = baseline == null ? null : JsonSerializer.SerializeToNode(baseline),
            ["history"] = JsonSerializer.SerializeToNode(result.Evaluations),
            ["hyperparameters"] = JsonSerializer.SerializeToNode(execution.Spec.Hyperparameters),
            ["data"] = plan.Description.DeepClone(),
        };
        File.WriteAllText(Path.Combine(output, "metrics.json"), metrics.ToJsonString(indented));
        File.WriteAllText(Path.Combine(output, "README.md"), ModelCard.Write(execution, plan.Architecture, plan.PrimaryMetric, result, baseline));
    }

    /// <summary>model.onnx beside model.safetensors, exported from the published (best) weights rather than the
    /// model in memory, which holds the last step's; the Functions app serves it with ONNX Runtime.</summary>
    private static void ExportOnnx(string output)
    {
        var (best, _) = HuggingFaceCheckpoint.FromPretrained(output);
        using var disposeBest = best;
        best.eval();
        BertOnnxExporter.Export(best, Path.Combine(output, BertOnnxExporter.FileName));
    }

    /// <summary>The metric that ranks checkpoints: the job's choice, else the task's primary metric.</summary>
    private static string MetricForBestModel<TFeature>(Hyperparameters hp, Plan<TFeature> plan) where TFeature : ISequenceFeature =>
        hp.MetricForBestModel ?? plan.PrimaryMetric;

    /// <summary>From-scratch pre-training ignores the spec's base model (its default name would mislead).</summary>
    public static string BaseModelName(JobSpec spec) =>
        spec.Task == TaskType.Pretraining && spec.Pretraining.FromScratch ? $"random {spec.Pretraining.ModelSize} weights (from scratch)" : spec.BaseModel;

    private static string Describe(IReadOnlyList<string> keys) => keys.Count == 0 ? "none" : string.Join(", ", keys);
}
