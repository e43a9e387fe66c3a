using TorchSharp;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Export;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Training;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Metrics;
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
    /// <param name="SelectionMetric">What ranks checkpoints unless the job names a metric; the primary metric when null.</param>
    /// <param name="Notes">What the plan found about the data, in the user's units (already reported as events), for the model card.</param>
    /// <param name="Verdict">A sentence on the published model's metrics (did it learn?), for the last event and the model card.</param>
    public sealed record Plan<TFeature>(
        ITrainingTask<TFeature> Task,
        string Architecture,
        string PrimaryMetric,
        Action<BertConfig> Configure,
        ITrainingData<TFeature> TrainingSet,
        IReadOnlyList<TFeature> EvaluationSet,
        JsonObject Description,
        string? SelectionMetric = null,
        IReadOnlyList<string>? Notes = null,
        Func<IReadOnlyDictionary<string, double>, string>? Verdict = null,
        IReadOnlyList<NamedEvaluationSet<TFeature>>? NamedEvaluationSets = null) where TFeature : ISequenceFeature;

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
        var selection = Selection(hp, plan);
        var trainer = new Trainer<TFeature>(model, plan.Task, plan.TrainingSet, plan.EvaluationSet, hp, selection.Metric, device,
            checkpoint, execution.Progress, execution.SaveCheckpointAsync) { NamedEvaluationSets = plan.NamedEvaluationSets ?? [] };
        await execution.Progress.ReportAsync(JobEventKind.Log, $"the published checkpoint will be the evaluation with {selection.Describe()}",
            0, null, cancellationToken);

        Dictionary<string, double>? baseline = null;
        if (!checkpoint.HasLast)
        {
            model.to(device);
            baseline = trainer.Evaluate();
            await execution.Progress.ReportAsync(JobEventKind.Eval, $"before fine-tuning: {MetricsText.Describe(baseline)}", 0,
                new Dictionary<string, double>(baseline) { ["step"] = 0, ["epoch"] = 0 }, cancellationToken);
        }

        var result = await trainer.TrainAsync(cancellationToken);
        await execution.Progress.ReportAsync(JobEventKind.Log, PublishedStep(selection, result), 1, null, CancellationToken.None);
        var verdict = plan.Verdict?.Invoke(result.BestMetrics);
        if (verdict != null) await execution.Progress.ReportAsync(JobEventKind.Log, verdict, 1, null, CancellationToken.None);

        Publish(execution, tokenizer, checkpoint, plan, selection, result, baseline, [.. plan.Notes ?? [], .. verdict is null ? [] : new[] { verdict }]);
        var outcome = new Dictionary<string, double>(result.BestMetrics);
        if (baseline != null)
            foreach (var (name, value) in baseline) outcome["baseline_" + name] = value;
        return new JobOutcome(outcome) { WallTime = result.WallTime.ToMetrics() };
    }

    private static void Publish<TFeature>(JobExecution execution, BertTextTokenizer tokenizer, TrainingCheckpoint checkpoint,
        Plan<TFeature> plan, CheckpointSelection selection, TrainingResult result, Dictionary<string, double>? baseline,
        IReadOnlyList<string> notes) where TFeature : ISequenceFeature
    {
        var output = execution.OutputDirectory;
        Directory.CreateDirectory(output);
        foreach (var file in Directory.GetFiles(checkpoint.BestDirectory))
            File.Copy(file, Path.Combine(output, Path.GetFileName(file)), overwrite: true);
        tokenizer.SaveTo(output);
        ExportOnnx(output);

        // The API's casing (camelCase properties); metric names keep the names the events and the API report them under.
        var metrics = new JsonObject
        {
            ["jobId"] = execution.JobId,
            ["task"] = JsonSerializer.SerializeToNode(execution.Spec.Task, PlatformJson.Options),
            ["baseModel"] = BaseModelName(execution.Spec),
            ["architecture"] = plan.Architecture,
            ["primaryMetric"] = plan.PrimaryMetric,
            ["metricForBestModel"] = selection.Metric,
            ["selectionRule"] = selection.Describe(),
            ["trainExamples"] = plan.TrainingSet.Count,
            ["evalExamples"] = plan.EvaluationSet.Count,
            ["steps"] = result.Steps,
            ["bestStep"] = result.BestStep,
            ["stoppedEarly"] = result.StoppedEarly,
            ["resumed"] = result.Resumed,
            ["trainSeconds"] = Math.Round(result.TrainSeconds, 3),
            ["eval"] = JsonSerializer.SerializeToNode(result.BestMetrics, PlatformJson.Options),
            ["baseline"] = baseline == null ? null : JsonSerializer.SerializeToNode(baseline, PlatformJson.Options),
            // The breakdowns of "eval" as tables: language → metrics with the count of examples.
            ["languages"] = LanguageTableNode(result.BestMetrics, ""),
            ["evaluationSets"] = EvaluationSetsNode(plan, execution.Spec, result.BestMetrics, baseline),
            ["history"] = JsonSerializer.SerializeToNode(result.Evaluations, PlatformJson.Options),
            ["hyperparameters"] = JsonSerializer.SerializeToNode(execution.Spec.Hyperparameters, PlatformJson.Options),
            ["data"] = plan.Description.DeepClone(),
        };
        File.WriteAllText(Path.Combine(output, "metrics.json"), metrics.ToJsonString(indented));
        var setSizes = (plan.NamedEvaluationSets ?? []).Select(s => (s.Name, s.Features.Count)).ToList();
        File.WriteAllText(Path.Combine(output, "README.md"), ModelCard.Write(execution, plan.Architecture, plan.PrimaryMetric, selection, result, baseline, notes, setSizes));
    }

    /// <summary>Each named validation set: its examples, whether it selected the checkpoint, its metrics before and after, per language.</summary>
    private static JsonNode? EvaluationSetsNode<TFeature>(Plan<TFeature> plan, JobSpec spec, IReadOnlyDictionary<string, double> best,
        IReadOnlyDictionary<string, double>? baseline) where TFeature : ISequenceFeature
    {
        if (plan.NamedEvaluationSets is not { Count: > 0 } sets) return null;
        var node = new JsonObject();
        foreach (var set in sets)
            node[set.Name] = new JsonObject
            {
                ["examples"] = set.Features.Count,
                ["selectsCheckpoint"] = set.Name == spec.SelectionSet()?.Name,
                ["eval"] = JsonSerializer.SerializeToNode(MetricBreakdown.Overall(best, set.Name + "/"), PlatformJson.Options),
                ["baseline"] = baseline is null ? null : JsonSerializer.SerializeToNode(MetricBreakdown.Overall(baseline, set.Name + "/"), PlatformJson.Options),
                ["languages"] = LanguageTableNode(best, set.Name + "/"),
            };
        return node;
    }

    private static JsonNode? LanguageTableNode(IReadOnlyDictionary<string, double> metrics, string prefix)
    {
        var table = MetricBreakdown.LanguageTable(metrics, prefix);
        return table.Count == 0 ? null : JsonSerializer.SerializeToNode(table, PlatformJson.Options);
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

    /// <summary>What ranks checkpoints: the job's metric, else the task's selection metric, else its primary metric.</summary>
    private static CheckpointSelection Selection<TFeature>(Hyperparameters hp, Plan<TFeature> plan) where TFeature : ISequenceFeature =>
        new(hp.MetricForBestModel ?? plan.SelectionMetric ?? plan.PrimaryMetric);

    /// <summary>Which step was published and why, in one sentence.</summary>
    public static string PublishedStep(CheckpointSelection selection, TrainingResult result)
    {
        var tieBreak = selection.Metric == CheckpointSelection.TieBreaker
            ? "" : $", {CheckpointSelection.TieBreaker} {Value(result.BestMetrics, CheckpointSelection.TieBreaker)}";
        return FormattableString.Invariant(
            $"published the checkpoint of step {result.BestStep} of {result.Steps}: {selection.Metric} {Value(result.BestMetrics, selection.Metric)}{tieBreak} (rule: {selection.Describe()})");
    }

    private static string Value(IReadOnlyDictionary<string, double> metrics, string name) =>
        metrics.TryGetValue(name, out var value) ? value.ToString("0.####", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>From-scratch pre-training ignores the spec's base model (its default name would mislead).</summary>
    public static string BaseModelName(JobSpec spec) =>
        spec.Task == TaskType.Pretraining && spec.Pretraining.FromScratch ? $"random {spec.Pretraining.ModelSize} weights (from scratch)" : spec.BaseModel;

    private static string Describe(IReadOnlyList<string> keys) => keys.Count == 0 ? "none" : string.Join(", ", keys);
}
