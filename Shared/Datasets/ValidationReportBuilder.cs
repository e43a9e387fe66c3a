namespace BertPlatform.Shared.Datasets;

/// <summary>
/// Accumulates a <see cref="ValidationReport"/> in bounded memory: only the first errors are kept, and the label
/// table stops growing at <see cref="MaxDistinctLabels"/> so that a wrongly mapped free-text column cannot fill memory.
/// </summary>
internal sealed class ValidationReportBuilder
{
    /// <summary>Labels first seen after the table is full are counted under this key.</summary>
    public const string OtherLabels = "(other)";

    public const int MaxDistinctLabels = 10_000;

    private readonly List<DatasetError> errors = [];
    private readonly Dictionary<string, long> labelCounts = new(StringComparer.Ordinal);

    public long RowCount { get; private set; }

    public long ErrorCount { get; private set; }

    private CorpusCounts? corpus;

    public void AddRow() => RowCount++;

    public void CountCorpus(CorpusCounts counts) => corpus = corpus is null ? counts : corpus.Add(counts);

    public void AddError(DatasetError error)
    {
        ErrorCount++;
        if (errors.Count < ValidationReport.MaxListedErrors) errors.Add(error);
    }

    public void CountLabel(string label)
    {
        var key = labelCounts.Count < MaxDistinctLabels || labelCounts.ContainsKey(label) ? label : OtherLabels;
        labelCounts[key] = labelCounts.GetValueOrDefault(key) + 1;
    }

    public ValidationReport Build(IReadOnlyList<string> columns, long bytes) => new()
    {
        RowCount = RowCount,
        ErrorCount = ErrorCount,
        Errors = errors.ToArray(),
        LabelCounts = new Dictionary<string, long>(labelCounts, StringComparer.Ordinal),
        Columns = columns.ToArray(),
        Bytes = bytes,
        Corpus = corpus,
    };
}
