using System.Text.Json;
using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.BatchPrediction;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Tasks;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Inference;

namespace BertPlatform.GpuRunner.Cli;

/// <summary>
/// A batch prediction job's work on local files: the model (Hugging Face layout) over a dataset file in one of its
/// task's upload formats, predictions written as the job writes them, progress on standard error, and one JSON line
/// on standard output with the count, the wall time, the throughput and the task's metrics over the dataset's labels.
/// </summary>
public static class BatchPredictVerb
{
    public const string Usage = "--model <dir> --dataset <file> --format csv|tsv|jsonl|conll|squad --output <out.jsonl> [--batch-size <n>] [--device cpu|cuda|auto] [--handle-impossible-answer] [--unlabeled]";

    public static int Run(string[] args)
    {
        var handleImpossible = VerbOptions.TakeFlag(ref args, "--handle-impossible-answer");
        var unlabeled = VerbOptions.TakeFlag(ref args, "--unlabeled");
        var options = new VerbOptions(args, "model", "dataset", "format", "output", "batch-size", "device");
        var modelDirectory = options.Required("model");
        var dataset = options.Required("dataset");
        if (!File.Exists(dataset)) throw new CommandLineException($"dataset file {dataset} does not exist");
        var formatName = options.Required("format");
        if (!Enum.TryParse<DatasetFormat>(formatName, ignoreCase: true, out var format) || int.TryParse(formatName, out _))
            throw new CommandLineException($"--format must be csv, tsv, jsonl, conll or squad; got '{formatName}'");
        var config = PublishedModelConfig.Parse(File.ReadAllText(Path.Combine(modelDirectory, "config.json")));
        var task = TaskDefinitions.ForArchitecture(config.Architecture)?.Data.Task
            ?? throw new CommandLineException($"{modelDirectory} is a {config.Architecture}, which no task predicts");
        var problemType = task == TaskType.TextClassification
            ? JsonSerializer.Deserialize<ProblemType>($"\"{config.EffectiveProblemType}\"", PlatformJson.Options)
            : (ProblemType?)null;
        var spec = new JobSpec { Task = task, ProblemType = problemType };
        var request = new BatchPredictionSpec { Model = modelDirectory, Dataset = dataset, BatchSize = options.Int("batch-size", 32), HandleImpossibleAnswer = handleImpossible };
        var device = Devices.ResolveForInference(options.Optional("device"));

        JobOutcome outcome;
        try
        {
            outcome = BatchPredictionRun.RunAsync(new BatchPredictionFiles(modelDirectory, dataset, format, options.Required("output"), unlabeled),
                spec, request, new ConsoleJobProgress(), device, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (JobFailedException e)
        {
            throw new CommandLineException(e.Message);
        }
        var metrics = outcome.Metrics;
        Console.WriteLine(new JsonObject
        {
            ["architecture"] = config.Architecture,
            ["device"] = device.type.ToString().ToLowerInvariant(),
            ["batch_size"] = request.BatchSize,
            ["predictions"] = metrics["predictions"],
            ["seconds"] = outcome.WallTime?["time_prediction_seconds"],
            ["inputs_per_second"] = metrics["inputs_per_second"],
            ["metrics"] = new JsonObject(metrics.Where(m => m.Key is not ("predictions" or "inputs_per_second"))
                .OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
        }.ToJsonString());
        return 0;
    }
}
