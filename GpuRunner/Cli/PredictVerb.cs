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
/// line per input line; the head in config.json's architectures decides the input shape and the result fields.
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
        var device = Devices.Resolve(options.Optional("device"));
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
        foreach (var chunk in JsonLines.Read(input).Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            IReadOnlyList<System.Text.Json.Nodes.JsonObject> results;
            try
            {
                results = predictor.Predict(chunk.Select(c => c.Record).ToList());
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException(
                    $"{input} lines {chunk[0].Line}-{chunk[^1].Line}: {e.Message}; {model.Architecture} expects {predictor.InputShape}", e);
            }
            foreach (var result in results) JsonLines.Write(writer, result);
        }
        return 0;
    }

    private static IPredictor CreatePredictor(BertTaskModel model, BertTextTokenizer tokenizer, Device device)
    {
        var maxLength = Math.Min(tokenizer.Settings.ModelMaxLength, model.Config.MaxPositionEmbeddings);
        var task = TaskDefinitions.ForArchitecture(model.Architecture)
            ?? throw new CommandLineException($"predict does not support {model.Architecture}");
        return task.CreatePredictor(model, tokenizer, maxLength, device);
    }
}
