using System.Globalization;
using BertPlatform.GpuRunner.Training;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tasks;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>
/// A text-classification training file too large to hold in memory (a direct upload of gigabytes): it is read again
/// on every epoch and tokenized batch by batch as training consumes it, in a seeded order within a shuffle buffer, so
/// step 1 starts without a pass over the file and memory holds one buffer of examples. Its rows and labels come from
/// the dataset's validation report when the job reads the file as it was validated (same columns, same problem
/// type), else from one parsing pass that tokenizes nothing. Without a validation dataset the hold-out is a
/// <see cref="StreamedHoldOut"/>.
/// </summary>
public sealed class StreamedTextClassification
{
    /// <summary>Training files from this size on are streamed; smaller ones are held in memory, batched by length.</summary>
    public const long FromBytes = 64L * 1024 * 1024;

    /// <summary>Examples the shuffle buffer holds: a few MB of text, enough to mix a file sorted by label within a window.</summary>
    public const int ShuffleBufferExamples = 10_000;

    private readonly Func<IEnumerable<TextClassificationExample>> readTraining;
    private readonly StreamedHoldOut? holdOut;

    private StreamedTextClassification(Func<IEnumerable<TextClassificationExample>> readTraining, StreamedHoldOut? holdOut,
        long rows, IReadOnlyCollection<string> labels, List<TextClassificationExample> validation, bool fromReport)
    {
        this.readTraining = readTraining;
        this.holdOut = holdOut;
        Rows = rows;
        Labels = labels;
        Validation = validation;
        FromReport = fromReport;
        TrainingExamples = checked((int)(rows - (holdOut?.HeldOutAmong(rows) ?? 0)));
    }

    public static bool Applies(JobExecution execution) => new FileInfo(execution.TrainingDataPath).Length >= FromBytes;

    /// <summary>Rows of the training file, held-out ones included.</summary>
    public long Rows { get; }

    public int TrainingExamples { get; }

    /// <summary>Every label of the training file (none for regression).</summary>
    public IReadOnlyCollection<string> Labels { get; }

    public List<TextClassificationExample> Validation { get; }

    /// <summary>Whether rows and labels came from the validation report rather than a pass over the file.</summary>
    public bool FromReport { get; }

    public static StreamedTextClassification Open(JobExecution execution, Func<string, DatasetFormat, IEnumerable<TextClassificationExample>> read)
    {
        var spec = execution.Spec;
        var hp = spec.Hyperparameters;
        IEnumerable<TextClassificationExample> ReadTraining() => read(execution.TrainingDataPath, execution.TrainingFormat);

        long rows;
        IReadOnlyCollection<string> labels;
        var report = execution.TrainingDataset;
        var fromReport = report is { Status: DatasetStatus.Ready, RowCount: > 0 } && report.Columns == spec.Columns && report.ProblemType == spec.ProblemType;
        if (fromReport)
        {
            rows = report!.RowCount;
            labels = spec.ProblemType == ProblemType.Regression ? [] : report.LabelCounts.Keys.ToArray();
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            rows = 0;
            foreach (var example in ReadTraining())
            {
                rows++;
                seen.UnionWith(TaskCatalog.TextClassification.LabelsOf(example, spec.ProblemType ?? ProblemType.SingleLabelClassification));
            }
            labels = seen;
        }

        StreamedHoldOut? holdOut = null;
        List<TextClassificationExample> validation;
        if (execution.ValidationDataPath is { } validationPath)
            validation = read(validationPath, execution.ValidationFormat ?? execution.TrainingFormat).ToList();
        else
        {
            holdOut = new StreamedHoldOut(hp.ValidationSplit, hp.Seed);
            var window = holdOut.Window;
            validation = ReadTraining().Select((example, row) => (example, row)).TakeWhile(p => p.row < window)
                .Where(p => holdOut.IsHeldOut(p.row)).Select(p => p.example).ToList();
        }
        return new StreamedTextClassification(ReadTraining, holdOut, rows, labels, validation, fromReport);
    }

    /// <summary>The training rows (held-out ones skipped), encoded as training reaches them.</summary>
    public ITrainingData<TFeature> Training<TFeature>(Func<TextClassificationExample, TFeature> encode)
    {
        var heldOut = holdOut;
        return new StreamingTrainingData<TFeature>(
            () => readTraining().Where((_, row) => heldOut is null || !heldOut.IsHeldOut(row)).Select(encode),
            TrainingExamples, ShuffleBufferExamples);
    }

    /// <summary>What the run reads, for the job's log and the model card.</summary>
    public string Describe(long fileBytes)
    {
        var source = FromReport ? "from the dataset's validation report" : "counted in one pass";
        var validation = holdOut is null
            ? string.Create(CultureInfo.InvariantCulture, $"{Validation.Count:N0} validation examples from the validation dataset")
            : string.Create(CultureInfo.InvariantCulture, $"{Validation.Count:N0} validation examples held out among the first {Math.Min(Rows, holdOut.Window):N0} rows, {TrainingExamples:N0} left to train on");
        return string.Create(CultureInfo.InvariantCulture,
            $"training data: {fileBytes / (1024.0 * 1024.0):N0} MiB, {Rows:N0} rows ({source}), streamed from disk and tokenized batch by batch, shuffled within {ShuffleBufferExamples:N0} examples; {validation}");
    }
}
