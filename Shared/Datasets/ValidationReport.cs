namespace BertPlatform.Shared.Datasets;

/// <summary>What streaming validation found: enough for the upload response and the dataset record.</summary>
public sealed class ValidationReport
{
    /// <summary>Errors beyond this many are counted in <see cref="ErrorCount"/> but not listed.</summary>
    public const int MaxListedErrors = 100;

    public bool IsValid => ErrorCount == 0;

    /// <summary>Examples read: CSV/TSV data rows, JSONL records, CoNLL sentences, SQuAD questions, corpus documents.</summary>
    public long RowCount { get; init; }

    public long ErrorCount { get; init; }

    /// <summary>The first <see cref="MaxListedErrors"/> errors, in the order they were found.</summary>
    public IReadOnlyList<DatasetError> Errors { get; init; } = [];

    /// <summary>
    /// Examples per label (text classification), tag occurrences (token classification), per answer index
    /// (multiple choice) or <c>has_answer</c>/<c>no_answer</c> (question answering). Empty for regression and corpora.
    /// </summary>
    public IReadOnlyDictionary<string, long> LabelCounts { get; init; } = new Dictionary<string, long>();

    /// <summary>Header columns (CSV/TSV), fields seen (JSONL, SQuAD questions) or the fixed layout of the format.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>Pre-training corpora: documents, sentences and words of the valid documents; null for other tasks.</summary>
    public CorpusCounts? Corpus { get; init; }

    /// <summary>Bytes read from the stream; the whole stream unless a structural error stopped the reading.</summary>
    public long Bytes { get; init; }
}
