namespace BertPlatform.Shared.Datasets;

/// <summary>
/// Reads a local dataset file for training, lazily, with the parser that validated it at upload (see
/// <c>TaskData.Read</c>). Training data is expected to be valid, so the first problem (including invalid UTF-8)
/// throws <see cref="DatasetFormatException"/>.
/// </summary>
internal static class DatasetReader
{
    public static IEnumerable<T> Read<T>(string path, Func<DatasetParser<T>> createParser) where T : class
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        foreach (var example in Read(file, createParser)) yield return example;
    }

    /// <summary>The same from a stream the caller owns (a blob read lazily, so a reader that stops early downloads little).</summary>
    public static IEnumerable<T> Read<T>(Stream content, Func<DatasetParser<T>> createParser) where T : class
    {
        var parser = createParser();
        using var utf8 = new Utf8ValidatingStream(content, error => throw new DatasetFormatException(error));
        // The parsers are asynchronous for the upload path; a local file read on the training thread may block.
        foreach (var record in parser.ParseAsync(utf8, CancellationToken.None).ToBlockingEnumerable())
        {
            if (record.Errors.Count > 0) throw new DatasetFormatException(record.Errors[0]);
            yield return record.Example!;
        }
    }
}
