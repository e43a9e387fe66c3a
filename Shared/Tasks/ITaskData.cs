using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;

namespace BertPlatform.Shared.Tasks;

/// <summary>
/// The data side of a task, which the API and the runner share: the formats that can hold its datasets, how an
/// upload is validated (and which labels its report counts), and the metric that ranks its checkpoints. The runner
/// adds the model side (GpuRunner's <c>ITaskDefinition</c>); <see cref="TaskCatalog"/> lists every task once.
/// </summary>
public interface ITaskData
{
    TaskType Task { get; }

    /// <summary>The formats a dataset of this task may come in, in the order error messages list them.</summary>
    IReadOnlyList<DatasetFormat> Formats { get; }

    /// <summary>The metric that picks the best checkpoint when a job names none, as the Hugging Face examples choose it (higher is better).</summary>
    string PrimaryMetric(ProblemType? problemType);

    /// <summary>
    /// Checks an uploaded dataset while it streams by: every record parsed with the same code that later feeds
    /// training, UTF-8 checked byte by byte, memory bounded by one record whatever the size of the stream.
    /// <paramref name="unlabeled"/> reads inputs without labels (data to predict on, never to train on).
    /// </summary>
    Task<ValidationReport> ValidateAsync(Stream content, DatasetFormat format, ColumnMapping columns, ProblemType? problemType, CancellationToken ct, bool unlabeled = false);

    /// <summary>
    /// A stored dataset's examples as the pre-flight report reads them (<see cref="Insight.PreflightExample"/>), one
    /// list per record (a pre-training document's sentences), read lazily from the stream; the caller disposes it.
    /// </summary>
    IEnumerable<IReadOnlyList<Insight.PreflightExample>> ReadPreflight(Stream content, DatasetFormat format, ColumnMapping columns, ProblemType? problemType);

    /// <summary>The same from a local file.</summary>
    IEnumerable<IReadOnlyList<Insight.PreflightExample>> ReadPreflight(string path, DatasetFormat format, ColumnMapping columns, ProblemType? problemType);

    /// <summary>Whether datasets of this task may come without labels (<c>unlabeled=true</c>), for batch predictions.</summary>
    bool AcceptsUnlabeled { get; }
}
