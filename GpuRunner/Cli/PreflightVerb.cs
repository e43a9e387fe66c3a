using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Insight;
using BertPlatform.Shared.Tasks;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.GpuRunner.Cli;

/// <summary>
/// The pre-flight report of local text-classification files against a model folder's tokenizer, as the API computes
/// it: the report as JSON on stdout, how long the analysis took on stderr (the API pays the same at job submission).
/// </summary>
public static class PreflightVerb
{
    public const string Usage = "--model <dir> --train <file.csv|tsv|jsonl> [--validation <file>] [--max-length 128] [--batch-size 32] [--epochs 3]";

    public static int Run(string[] args)
    {
        var options = new VerbOptions(args, "model", "train", "validation", "max-length", "batch-size", "epochs");
        var defaults = Hyperparameters.Default;
        var hp = defaults with
        {
            MaxSequenceLength = options.Int("max-length", defaults.MaxSequenceLength),
            BatchSize = options.Int("batch-size", defaults.BatchSize),
            Epochs = options.Int("epochs", defaults.Epochs),
        };
        var model = options.Required("model");
        var tokenizer = BertTextTokenizer.Load(model);
        var train = options.Required("train");
        var validation = options.Optional("validation");
        var clock = Stopwatch.StartNew();
        var report = PreflightAnalyzer.Analyze(
            new PreflightInput(Path.GetFileName(model.TrimEnd('/')), Path.GetFileName(train), Read(train),
                validation is null ? null : Path.GetFileName(validation), validation is null ? null : Read(validation)),
            tokenizer, hp, null, new GpuProfile());
        Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions(PlatformJson.Options) { WriteIndented = true }));
        var rows = report.Training.Examples + (report.Validation?.Examples ?? 0);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"analysed {rows} rows in {clock.Elapsed.TotalSeconds:0.0} s ({rows / clock.Elapsed.TotalSeconds:0} rows/s)"));
        return 0;
    }

    private static IEnumerable<Shared.Datasets.TextClassificationExample> Read(string path)
    {
        var format = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => DatasetFormat.Csv,
            ".tsv" => DatasetFormat.Tsv,
            ".jsonl" => DatasetFormat.Jsonl,
            var other => throw new CommandLineException($"'{path}': the format follows the extension, .csv, .tsv or .jsonl, not '{other}'"),
        };
        return TaskCatalog.TextClassification.Read(path, format, ColumnMapping.Default);
    }
}
