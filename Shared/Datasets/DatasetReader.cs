using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Datasets;

/// <summary>
/// Reads a local dataset file for training, lazily, with the parsers that validated it at upload. Training data is
/// expected to be valid, so the first problem (including invalid UTF-8) throws <see cref="DatasetFormatException"/>.
/// </summary>
public static class DatasetReader
{
    /// <param name="problemType">How labels are read (see the upload's problem type); null reads single labels, or lists from JSON arrays.</param>
    public static IEnumerable<TextClassificationExample> ReadTextClassification(string path, DatasetFormat format, ColumnMapping columns,
        ProblemType? problemType = null) =>
        Read(path, () => DatasetParsers.TextClassification(format, columns, problemType));

    public static IEnumerable<TokenClassificationExample> ReadTokenClassification(string path, DatasetFormat format, ColumnMapping columns) =>
        Read(path, () => DatasetParsers.TokenClassification(format, columns));

    public static IEnumerable<QuestionAnsweringExample> ReadQuestionAnswering(string path, DatasetFormat format, ColumnMapping columns) =>
        Read(path, () => DatasetParsers.QuestionAnswering(format, columns));

    public static IEnumerable<MultipleChoiceExample> ReadMultipleChoice(string path, DatasetFormat format, ColumnMapping columns) =>
        Read(path, () => DatasetParsers.MultipleChoice(format, columns));

    public static IEnumerable<CorpusDocument> ReadCorpus(string path, DatasetFormat format, ColumnMapping columns) =>
        Read(path, () => DatasetParsers.Corpus(format, columns));

    private static IEnumerable<T> Read<T>(string path, Func<DatasetParser<T>> createParser) where T : class
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var parser = createParser();
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var utf8 = new Utf8ValidatingStream(file, error => throw new DatasetFormatException(error));
        // The parsers are asynchronous for the upload path; a local file read on the training thread may block.
        foreach (var record in parser.ParseAsync(utf8, CancellationToken.None).ToBlockingEnumerable())
        {
            if (record.Errors.Count > 0) throw new DatasetFormatException(record.Errors[0]);
            yield return record.Example!;
        }
    }
}
