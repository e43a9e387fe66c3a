using System.Diagnostics;
using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Inference;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Inference;
using BertPlatform.Shared.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.BatchPrediction;

/// <summary>
/// Runs a published model over a dataset: records are read a window at a time, sorted by length inside it so a batch
/// pads little, predicted in batches by the predict endpoint's predictors on TorchSharp, and written back in input
/// order to <c>predictions.jsonl</c>, one line per record. The labels the dataset carries are scored as the task's
/// metrics. Cancellation is checked between batches; nothing leaves the local folder until the worker uploads the
/// finished file.
/// </summary>
public static class BatchPredictionRun
{
    public const string OutputFile = "predictions.jsonl";

    /// <summary>Batches sorted together by length: enough to group similar lengths, few enough to hold in memory.</summary>
    private const int BatchesPerSortWindow = 32;

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    /// <summary>A batch prediction job: the worker has put the model and the dataset on disk.</summary>
    public static Task<JobOutcome> RunAsync(JobExecution execution, Device device, CancellationToken cancellationToken)
    {
        var request = execution.BatchPrediction ?? throw new JobFailedException("The job carries no batch prediction spec.");
        return RunAsync(new BatchPredictionFiles(execution.BaseModelDirectory, execution.TrainingDataPath, execution.TrainingFormat,
            Path.Combine(execution.OutputDirectory, OutputFile), execution.TrainingDataUnlabeled), execution.Spec, request, execution.Progress, device, cancellationToken);
    }

    /// <summary>
    /// Predicts <paramref name="files"/>' dataset with its model. <paramref name="spec"/> says how the dataset reads (task,
    /// columns, problem type); <paramref name="request"/> the batch size and options.
    /// </summary>
    public static async Task<JobOutcome> RunAsync(BatchPredictionFiles files, JobSpec spec, BatchPredictionSpec request, IJobProgress progress,
        Device device, CancellationToken cancellationToken)
    {
        var tokenizer = BertTextTokenizer.Load(files.ModelDirectory);
        var config = PublishedModelConfig.Parse(await File.ReadAllTextAsync(Path.Combine(files.ModelDirectory, "config.json"), cancellationToken));
        var predictor = TaskPredictors.ForArchitecture(config.Architecture)
            ?? throw new JobFailedException($"Model '{request.Model}' is a {config.Architecture}, which batch predictions do not run.");
        var (model, _) = HuggingFaceCheckpoint.FromPretrained(files.ModelDirectory);
        using var disposeModel = model;
        model.to(device);
        model.eval();
        var inference = new TorchBertInference(model, tokenizer, config, device);
        var settings = new PredictionSettings(HandleImpossibleAnswer: request.HandleImpossibleAnswer ?? false);
        // An unlabeled dataset has nothing to score: its predictions are the whole result.
        var scorer = files.Unlabeled ? null : PredictionScorer.For(spec.Task, config);

        var total = DatasetInputs.Read(files.DatasetPath, files.DatasetFormat, spec, files.Unlabeled).LongCount();
        await progress.ReportAsync(JobEventKind.Log,
            $"model {request.Model} ({config.Architecture}) loaded on {device.type}; {total} inputs from dataset {request.Dataset}, batches of {request.BatchSize}",
            0, null, cancellationToken);

        var clock = Stopwatch.StartNew();
        // The first batch reports at once, so even a short job shows its rate and ETA.
        var lastReport = -ProgressInterval;
        long done = 0;
        await using (var writer = new StreamWriter(files.OutputPath))
        {
            foreach (var window in DatasetInputs.Read(files.DatasetPath, files.DatasetFormat, spec, files.Unlabeled).Chunk(request.BatchSize * BatchesPerSortWindow))
            {
                var lines = new string[window.Length];
                var byLength = Enumerable.Range(0, window.Length).OrderBy(i => window[i].Input.ToJsonString().Length).ToArray();
                foreach (var batch in byLength.Chunk(request.BatchSize))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var answers = PredictBatch(predictor, inference, batch.Select(i => window[i]).ToList(), settings);
                    for (var k = 0; k < batch.Length; k++) lines[batch[k]] = answers[k].ToJsonString();
                    done += batch.Length;
                    if (clock.Elapsed - lastReport >= ProgressInterval)
                    {
                        lastReport = clock.Elapsed;
                        await ReportProgressAsync(progress, done, total, clock.Elapsed, cancellationToken);
                    }
                }
                for (var i = 0; i < window.Length; i++)
                {
                    await writer.WriteLineAsync(lines[i].AsMemory(), cancellationToken);
                    // Scored from the written line, so the metrics describe exactly what the user downloads.
                    scorer?.Add(window[i].Reference, JsonNode.Parse(lines[i])!.AsObject());
                }
            }
        }
        clock.Stop();
        var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
        var metrics = new Dictionary<string, double>(done > 0 && scorer is not null ? scorer.Complete() : new Dictionary<string, double>())
        {
            ["predictions"] = done,
            ["inputs_per_second"] = Math.Round(done / seconds, 2),
        };
        await progress.ReportAsync(JobEventKind.Eval, $"{done} predictions in {clock.Elapsed.TotalSeconds:F1} s; {Describe(metrics)}", 1, metrics, cancellationToken);
        return new JobOutcome(metrics) { WallTime = new Dictionary<string, double> { ["time_prediction_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3) } };
    }

    private static IReadOnlyList<JsonObject> PredictBatch(ITaskPredictor predictor, IBertInference model, IReadOnlyList<PredictionItem> batch, PredictionSettings settings)
    {
        try
        {
            return predictor.Predict(model, batch.Select((item, i) => new PredictionInput(item.Input, i, int.MaxValue)).ToList(), settings);
        }
        catch (PredictionInputException e)
        {
            // Validated data fits its task's shape; a record that does not is the dataset's fault, not the attempt's.
            var index = int.Parse(e.Field[(e.Field.IndexOf('[') + 1)..e.Field.IndexOf(']')], System.Globalization.CultureInfo.InvariantCulture);
            throw new JobFailedException($"Dataset {batch[index].Location}: {e.Message} ({predictor.InputShape} expected).", e);
        }
    }

    private static Task ReportProgressAsync(IJobProgress progress, long done, long total, TimeSpan elapsed, CancellationToken ct)
    {
        var rate = done / Math.Max(elapsed.TotalSeconds, 1e-3);
        var remaining = rate > 0 ? (total - done) / rate : 0;
        return progress.ReportAsync(JobEventKind.Progress,
            $"predicted {done} of {total} inputs ({rate:F1} inputs/s, about {remaining:F0} s left)",
            total == 0 ? 1 : (double)done / total,
            new Dictionary<string, double> { ["predicted"] = done, ["inputs"] = total, ["inputs_per_second"] = Math.Round(rate, 2), ["eta_seconds"] = Math.Round(remaining, 1) },
            ct);
    }

    private static string Describe(IReadOnlyDictionary<string, double> metrics) =>
        string.Join(", ", metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value:G4}"));
}
