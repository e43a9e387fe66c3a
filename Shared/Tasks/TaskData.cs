using System.Text.Json;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Insight;

namespace BertPlatform.Shared.Tasks;

/// <summary>
/// A task whose datasets parse into <typeparamref name="TExample"/>: one parser per format, used both to validate an
/// upload and to read the file the runner trains on, so the two can never disagree.
/// </summary>
public abstract class TaskData<TExample> : ITaskData where TExample : class
{
    public abstract TaskType Task { get; }

    public abstract IReadOnlyList<DatasetFormat> Formats { get; }

    public abstract string PrimaryMetric(ProblemType? problemType);

    /// <summary>The labels a validation report counts for one example (none for regression scores or corpora).</summary>
    public abstract IEnumerable<string> LabelsOf(TExample example, ProblemType? problemType);

    /// <summary>What the pre-flight report reads of one example: usually one <see cref="PreflightExample"/>, a pre-training document's sentences each.</summary>
    public abstract IReadOnlyList<PreflightExample> PreflightExamplesOf(TExample example, ProblemType? problemType);

    public IEnumerable<IReadOnlyList<PreflightExample>> ReadPreflight(Stream content, DatasetFormat format, ColumnMapping columns, ProblemType? problemType) =>
        Read(content, format, columns, problemType).Select(example => PreflightExamplesOf(example, problemType));

    public IEnumerable<IReadOnlyList<PreflightExample>> ReadPreflight(string path, DatasetFormat format, ColumnMapping columns, ProblemType? problemType) =>
        Read(path, format, columns, problemType).Select(example => PreflightExamplesOf(example, problemType));

    /// <summary>What a validation report counts of one example in corpus units; null for tasks that are not corpora.</summary>
    public virtual CorpusCounts? CountsOf(TExample example) => null;

    /// <summary>The parser of one of <see cref="Formats"/>; one instance reads one stream.</summary>
    private protected abstract DatasetParser<TExample> CreateParser(DatasetFormat format, ColumnMapping columns, ProblemType? problemType);

    public virtual bool AcceptsUnlabeled => false;

    /// <summary>The parser of inputs without labels, for the tasks that <see cref="AcceptsUnlabeled"/>; examples carry no labels.</summary>
    private protected virtual DatasetParser<TExample> CreateUnlabeledParser(DatasetFormat format, ColumnMapping columns) =>
        throw new DatasetFormatException(new DatasetError("dataset", null,
            $"{JsonNamingPolicy.SnakeCaseLower.ConvertName(Task.ToString())} datasets must carry their labels; only text_classification data may be uploaded unlabeled"));

    public Task<ValidationReport> ValidateAsync(Stream content, DatasetFormat format, ColumnMapping columns, ProblemType? problemType, CancellationToken ct, bool unlabeled = false)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(columns);
        try
        {
            return DatasetValidator.ValidateAsync(content, Parser(format, columns, problemType, unlabeled), example => LabelsOf(example, problemType), CountsOf, ct);
        }
        catch (DatasetFormatException exception)
        {
            return System.Threading.Tasks.Task.FromResult(DatasetValidator.Rejected(exception.Error));
        }
    }

    /// <summary>
    /// Reads a local dataset file for training, lazily. Training data is expected to be valid, so the first problem
    /// (including invalid UTF-8) throws <see cref="DatasetFormatException"/>.
    /// </summary>
    /// <param name="problemType">How labels are read (see the upload's problem type); null reads single labels, or lists from JSON arrays.</param>
    /// <param name="unlabeled">Reads inputs without labels (an unlabeled upload, for batch predictions).</param>
    public IEnumerable<TExample> Read(string path, DatasetFormat format, ColumnMapping columns, ProblemType? problemType = null, bool unlabeled = false) =>
        DatasetReader.Read(path, () => Parser(format, columns, problemType, unlabeled));

    /// <summary>The same from a stream, read lazily; the caller disposes it.</summary>
    public IEnumerable<TExample> Read(Stream content, DatasetFormat format, ColumnMapping columns, ProblemType? problemType = null) =>
        DatasetReader.Read(content, () => Parser(format, columns, problemType, unlabeled: false));

    private DatasetParser<TExample> Parser(DatasetFormat format, ColumnMapping columns, ProblemType? problemType, bool unlabeled) =>
        !Formats.Contains(format) ? throw Unsupported(format)
        : unlabeled ? CreateUnlabeledParser(format, columns)
        : CreateParser(format, columns, problemType);

    private DatasetFormatException Unsupported(DatasetFormat format)
    {
        var names = Formats.Select(f => f.ToString().ToLowerInvariant()).ToList();
        var supported = names.Count == 1 ? names[0] : string.Join(", ", names.SkipLast(1)) + " or " + names[^1];
        return new(new DatasetError("dataset", null,
            $"the format '{format.ToString().ToLowerInvariant()}' cannot hold {JsonNamingPolicy.SnakeCaseLower.ConvertName(Task.ToString())} data; use {supported}"));
    }
}
