using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Export;

namespace BertPlatform.GpuRunner.Cli;

/// <summary><c>export-onnx</c>: writes a saved model (Hugging Face layout) as ONNX, its own head or only the encoder.</summary>
public static class ExportOnnxVerb
{
    public const string Usage = "--model <dir> [--output <model.onnx>] [--encoder-only]";

    public static int Run(string[] args)
    {
        var encoderOnly = args.Contains("--encoder-only");
        var options = new VerbOptions(args.Where(a => a != "--encoder-only").ToArray(), "model", "output");
        var directory = options.Required("model");
        var output = options.Optional("output") ?? Path.Combine(directory, BertOnnxExporter.FileName);
        var (model, report) = HuggingFaceCheckpoint.FromPretrained(directory);
        using var _ = model;
        if (report.MissingKeys.Count > 0)
            throw new CommandLineException($"{directory} lacks weights of {model.Architecture}: {string.Join(", ", report.MissingKeys)}");
        model.eval();
        var architecture = encoderOnly ? BertOnnxExporter.EncoderOnly : model.Architecture;
        BertOnnxExporter.Export(model, output, architecture);
        Console.WriteLine($"Exported {architecture} (opset {BertOnnxExporter.Opset}) to {Path.GetFullPath(output)} ({new FileInfo(output).Length} bytes).");
        return 0;
    }
}
