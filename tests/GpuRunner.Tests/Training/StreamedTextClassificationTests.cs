using BertPlatform.GpuRunner.Tasks;
using BertPlatform.GpuRunner.Training;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tasks;

namespace BertPlatform.GpuRunner.Tests.Training;

/// <summary>
/// A large text-classification file is streamed: nothing reads it before training when the validation report
/// describes it, training reads it lazily, and the hold-out without a validation dataset is bounded and disjoint.
/// </summary>
public sealed class StreamedTextClassificationTests : IDisposable
{
    private const int Rows = 3_000;
    private readonly string directory = Directory.CreateTempSubdirectory("streamed-tc-").FullName;
    private readonly string trainingPath, validationPath;
    private readonly Dictionary<string, int> passes = [];

    public StreamedTextClassificationTests()
    {
        trainingPath = Path.Combine(directory, "train.csv");
        validationPath = Path.Combine(directory, "validation.csv");
        File.WriteAllLines(trainingPath, ["text,label", .. Enumerable.Range(0, Rows).Select(i => $"review {i},{(i % 3 == 0 ? "good" : "bad")}")]);
        File.WriteAllLines(validationPath, ["text,label", "fine,good", "poor,bad"]);
    }

    /// <summary>The runner's reading of a file, counting the passes over each.</summary>
    private IEnumerable<TextClassificationExample> Read(string path, DatasetFormat format)
    {
        passes[path] = passes.GetValueOrDefault(path) + 1;
        return TaskCatalog.TextClassification.Read(path, format, ColumnMapping.Default);
    }

    private JobExecution Execution(bool withValidation, DatasetRecord? report) => new()
    {
        JobId = "job-streamed", Spec = new JobSpec { TrainingDataset = "ds-train" }, BaseModelDirectory = directory,
        TrainingDataPath = trainingPath, TrainingFormat = DatasetFormat.Csv, TrainingDataset = report,
        ValidationDataPath = withValidation ? validationPath : null, OutputDirectory = directory, CheckpointDirectory = directory,
        SaveCheckpointAsync = (_, _) => Task.CompletedTask, Progress = null!,
    };

    private static DatasetRecord Report(long rows) => new()
    {
        Id = "ds-train", Owner = "o", Name = "train", Format = DatasetFormat.Csv, Task = TaskType.TextClassification,
        BlobName = "o/ds-train/data.csv", RowCount = rows, LabelCounts = new Dictionary<string, long> { ["good"] = 1_000, ["bad"] = 2_000 },
    };

    [Fact]
    public void With_a_matching_validation_report_the_file_is_not_read_until_training_reads_it_lazily()
    {
        var streamed = StreamedTextClassification.Open(Execution(withValidation: true, Report(Rows)), Read);

        Assert.Equal(0, passes.GetValueOrDefault(trainingPath));
        Assert.True(streamed.FromReport);
        Assert.Equal((Rows, Rows), (streamed.Rows, streamed.TrainingExamples));
        Assert.Equal(["bad", "good"], streamed.Labels.Order());
        Assert.Equal(2, streamed.Validation.Count);

        var training = streamed.Training(e => e.Row);
        Assert.Equal(Rows, training.Count);
        var first = training.Batches(epoch: 0, batchSize: 8, seed: 1).First();
        Assert.Equal(1, passes[trainingPath]);
        Assert.Equal(8, first.Count);
        var epoch = training.Batches(epoch: 0, batchSize: 8, seed: 1).SelectMany(b => b).ToList();
        Assert.Equal(Enumerable.Range(1, Rows).Select(i => (long)i), epoch.Order());   // every row once, shuffled
        Assert.NotEqual(epoch.Order(), epoch);
    }

    [Fact]
    public void A_report_for_other_columns_is_not_trusted_and_one_pass_counts_rows_and_labels()
    {
        var other = Report(999) with { Columns = ColumnMapping.Default with { Text = "review" } };

        var streamed = StreamedTextClassification.Open(Execution(withValidation: true, other), Read);

        Assert.False(streamed.FromReport);
        Assert.Equal(1, passes[trainingPath]);
        Assert.Equal(Rows, streamed.Rows);
        Assert.Equal(["bad", "good"], streamed.Labels.Order());
    }

    [Fact]
    public void Without_a_validation_dataset_a_bounded_seeded_hold_out_is_kept_out_of_training()
    {
        var streamed = StreamedTextClassification.Open(Execution(withValidation: false, Report(Rows)), Read);
        var heldOut = new StreamedHoldOut(0.1, 42);

        // 10% of 3,000 rows, drawn by hash: near 300, and exactly what the rule says for each row.
        Assert.InRange(streamed.Validation.Count, 240, 360);
        Assert.Equal(Enumerable.Range(0, Rows).Where(r => heldOut.IsHeldOut(r)).Select(r => (long)r + 1), streamed.Validation.Select(e => e.Row));
        var trained = streamed.Training(e => e.Row).Batches(0, 64, 42).SelectMany(b => b).ToHashSet();
        Assert.Equal(Rows - streamed.Validation.Count, streamed.TrainingExamples);
        Assert.Equal(streamed.TrainingExamples, trained.Count);
        Assert.DoesNotContain(streamed.Validation, e => trained.Contains(e.Row));
        // However large the file, the hold-out is drawn among the first rows only.
        var small = new StreamedHoldOut(0.1, 42, maxExamples: 50);
        Assert.Equal(500, small.Window);
        Assert.Equal(small.HeldOutAmong(500), small.HeldOutAmong(10_000_000));
        Assert.InRange(small.HeldOutAmong(500), 30, 70);
    }

    [Fact]
    public void The_shuffle_buffer_is_a_seeded_permutation_that_mixes_a_sorted_stream()
    {
        var sorted = Enumerable.Range(0, 1_000).ToList();

        var once = ShuffleBuffer.Shuffle(sorted, 100, seed: 3).ToList();

        Assert.Equal(sorted, once.Order());
        Assert.Equal(once, ShuffleBuffer.Shuffle(sorted, 100, seed: 3));
        Assert.NotEqual(once, ShuffleBuffer.Shuffle(sorted, 100, seed: 4));
        // The first 100 outputs come from well beyond the first 100 inputs' order: the buffer mixed them.
        Assert.True(once.Take(100).Count(v => v >= 100) > 0 && once.Take(100).Zip(sorted).Count(p => p.First == p.Second) < 10);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
