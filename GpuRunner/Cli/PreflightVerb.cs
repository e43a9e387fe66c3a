using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Insight;
using BertPlatform.Shared.Tasks;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.GpuRunner.Cli;

/// <summary>
/// The pre-flight report of local dataset files of any task against a model folder's tokenizer, as the API computes
/// it: the report as JSON on stdout, how long the analysis took on stderr (the API pays the same at job submission).
/// </summary>
public static class PreflightVerb
{
    public const string Usage = "--model <dir> --train <file> [--validation <file>] [--task text_classification|token_classification|question_answering|multiple_choice|pretraining] " +
                                "[--format csv|tsv|jsonl|conll|squad|text] [--max-length 128] [--batch-size 32] [--epochs 3] [--doc-stride 128] [--max-question-length 64]";

    public static int Run(string[] args)
    {
        var options = new VerbOptions(args, "model", "train", "validation", "task", "format", "max-length", "batch-size", "epochs", "doc-stride", "max-question-length");
        var defaults = Hyperparameters.Default;
        var hp = defaults with
        {
            MaxSequenceLength = options.Int("max-length", defaults.MaxSequenceLength),
            BatchSize = options.Int("batch-size", defaults.BatchSize),
            Epochs = options.Int("epochs", defaults.Epochs),
        };
        var qaDefaults = new QuestionAnsweringOptions();
        var questionAnswering = qaDefaults with
        {
            DocStride = options.Optional("doc-stride") is null ? null : options.Int("doc-stride"),
            MaxQuestionLength = options.Int("max-question-length", qaDefaults.MaxQuestionLength),
        };
        var task = Wire<TaskType>(options.Optional("task") ?? "text_classification", "--task");
        var data = TaskCatalog.For(task);
        var model = options.Required("model");
        var tokenizer = BertTextTokenizer.Load(model);
        var train = options.Required("train");
        var validation = options.Optional("validation");
        var format = options.Optional("format") is { } named ? Wire<DatasetFormat>(named, "--format") : null as DatasetFormat?;
        IEnumerable<IReadOnlyList<PreflightExample>> Read(string path) =>
            data.ReadPreflight(path, format ?? FormatOf(path), ColumnMapping.Default, null);

        var clock = Stopwatch.StartNew();
        var report = PreflightAnalyzer.Analyze(
            new PreflightInput(Path.GetFileName(model.TrimEnd('/')), Path.GetFileName(train), Read(train),
                validation is null ? null : Path.GetFileName(validation), validation is null ? null : Read(validation)),
            tokenizer, new PreflightSettings(task, hp, QuestionAnswering: questionAnswering), new GpuProfile());
        Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions(PlatformJson.Options) { WriteIndented = true }));
        var rows = report.Training.Examples + (report.Validation?.Examples ?? 0);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"analysed {rows} examples in {clock.Elapsed.TotalSeconds:0.0} s ({rows / clock.Elapsed.TotalSeconds:0} examples/s)"));
        return 0;
    }

    private static DatasetFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => DatasetFormat.Csv,
        ".tsv" => DatasetFormat.Tsv,
        ".jsonl" => DatasetFormat.Jsonl,
        ".conll" => DatasetFormat.Conll,
        ".json" => DatasetFormat.Squad,
        ".txt" => DatasetFormat.Text,
        var other => throw new CommandLineException($"'{path}': name the format with --format; the extension '{other}' is not one of .csv, .tsv, .jsonl, .conll, .json (SQuAD) or .txt"),
    };

    /// <summary>An enum by its wire name (text_classification, squad …).</summary>
    private static T Wire<T>(string name, string option) where T : struct, Enum
    {
        try
        {
            return JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(name), PlatformJson.Options);
        }
        catch (JsonException)
        {
            throw new CommandLineException($"{option} '{name}' is not one of {string.Join(", ", Enum.GetValues<T>().Select(v => JsonSerializer.Serialize(v, PlatformJson.Options).Trim('"')))}");
        }
    }
}
