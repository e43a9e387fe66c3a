using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Inference;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Tasks;
using BertPlatform.Shared.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Cli;

/// <summary>
/// Runs a saved model (Hugging Face layout with its tokenizer files) over a JSON Lines file and writes one result
/// line per input line, in order; the head in config.json's architectures decides the input shape and the result fields.
/// Every head runs batches of records of similar length.
/// </summary>
public static class PredictVerb
{
    public const string Usage = "--model <dir> --input <in.jsonl> --output <out.jsonl> [--batch-size <n>] [--device cpu|cuda|auto]";

    public static int Run(string[] args)
    {
        var options = new VerbOptions(args, "model", "input", "output", "batch-size", "device");
        var directory = options.Required("model");
        var input = options.Required("input");
        var batchSize = options.Int("batch-size", 8);
        var device = Devices.ResolveForInference(options.Optional("device"));
        var tokenizer = BertTextTokenizer.Load(directory);
        var (model, report) = HuggingFaceCheckpoint.FromPretrained(directory);
        using var _ = model;
        if (report.MissingKeys.Count > 0)
            Console.Error.WriteLine($"predict: warning: {directory} lacks weights the model needs (freshly initialised): {string.Join(", ", report.MissingKeys)}");
        model.to(device);
        model.eval();
        var predictor = CreatePredictor(model, tokenizer, device);

        using var writer = new StreamWriter(options.Required("output"));
        using var noGrad = no_grad();
        // Records are read a window at a time, sorted by length inside it so a batch pads little, and written back
        // in input order.
        foreach (var window in JsonLines.Read(input).Chunk(batchSize * BatchesPerSortWindow))
        {
            var results = new JsonObject[window.Length];
            var byLength = Enumerable.Range(0, window.Length).OrderBy(i => window[i].Record.ToJsonString().Length).ToArray();
            foreach (var batch in byLength.Chunk(batchSize))
            {
                var predicted = PredictBatch(predictor, batch.Select(i => window[i]).ToList(), input, model.Architecture);
                for (var k = 0; k < batch.Length; k++) results[batch[k]] = predicted[k];
            }
            foreach (var result in results) JsonLines.Write(writer, result);
        }
        return 0;
    }

    /// <summary>Records sorted together by length: enough to group similar lengths, few enough to hold in memory.</summary>
    private const int BatchesPerSortWindow = 32;

    private static IReadOnlyList<JsonObject> PredictBatch(IPredictor predictor, IReadOnlyList<(int Line, JsonObject Record)> batch, string input, string architecture)
    {
        using var scope = NewDisposeScope();
        try
        {
            return predictor.Predict(batch.Select(b => b.Record).ToList());
        }
        catch (InvalidDataException) when (batch.Count > 1)
        {
            // Find the record at fault, one at a time, to name its line.
            foreach (var record in batch) PredictBatch(predictor, [record], input, architecture);
            throw;
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{input} line {batch[0].Line}: {e.Message}; {architecture} expects {predictor.InputShape}", e);
        }
    }

    private static IPredictor CreatePredictor(BertTaskModel model, BertTextTokenizer tokenizer, Device device)
    {
        var maxLength = Math.Min(tokenizer.Settings.ModelMaxLength, model.Config.MaxPositionEmbeddings);
        var task = TaskDefinitions.ForArchitecture(model.Architecture)
            ?? throw new CommandLineException($"predict does not support {model.Architecture}");
        return task.CreatePredictor(model, tokenizer, maxLength, device);
    }
}
