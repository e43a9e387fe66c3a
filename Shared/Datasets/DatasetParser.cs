namespace BertPlatform.Shared.Datasets;

/// <summary>
/// Turns one format of one task into examples. The single parsing code behind both <see cref="DatasetValidator"/>
/// (which counts and reports) and <see cref="DatasetReader"/> (which trains on the examples and stops at the first
/// error). Problems local to a record come back in its <see cref="ParsedRecord{T}"/>; a broken structure that ends
/// the reading throws <see cref="DatasetFormatException"/>. One instance reads one stream.
/// </summary>
internal abstract class DatasetParser<T> where T : class
{
    private const int MaxColumns = 1_000;

    private readonly List<string> columns = [];

    /// <summary>Columns or fields met so far, in order of first appearance.</summary>
    public IReadOnlyList<string> Columns => columns;

    /// <summary>What a file without a single example is told.</summary>
    public virtual string NoExamplesMessage => "the dataset has no examples";

    public abstract IAsyncEnumerable<ParsedRecord<T>> ParseAsync(Stream utf8Content, CancellationToken cancellationToken);

    protected void AddColumn(string name)
    {
        if (columns.Count < MaxColumns && !columns.Contains(name)) columns.Add(name);
    }
}
