using System.Runtime.CompilerServices;
using System.Text.Json;

namespace BertPlatform.Shared.Datasets;

/// <summary>
/// JSON Lines: one JSON object per line, blank lines ignored. Each line is parsed on its own, so a broken line is
/// reported with its number and the reading goes on; the subclasses turn an object into an example.
/// </summary>
internal abstract class JsonlParser<T> : DatasetParser<T> where T : class
{
    /// <summary>
    /// Longest record line accepted (characters). A file without line breaks must not become one giant record, and one
    /// line costs several times its size while it is parsed (text, UTF-8 copy, document), so 4 Mi characters bound a
    /// request to tens of MB.
    /// </summary>
    public const int MaxLineLength = 4 * 1024 * 1024;

    public override async IAsyncEnumerable<ParsedRecord<T>> ParseAsync(Stream utf8Content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lines = BoundedLineReader.Open(utf8Content, MaxLineLength);
        while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.IsBlank) continue;
            var location = $"line {line.Number}";
            if (line.Text is null)
            {
                yield return ParsedRecord<T>.Invalid(new DatasetError(location, null,
                    $"the line is {line.Length:N0} characters long; a JSONL record may have at most {MaxLineLength:N0}"));
                continue;
            }
            using var document = TryParse(line.Text, location, out var error);
            if (document is null)
            {
                yield return ParsedRecord<T>.Invalid(error!);
                continue;
            }
            var record = document.RootElement;
            if (record.ValueKind != JsonValueKind.Object)
            {
                yield return ParsedRecord<T>.Invalid(new DatasetError(location, null, $"a JSON object is expected, found {JsonFields.Describe(record)}"));
                continue;
            }
            if (JsonDuplicateKeys.Find(record) is { } repeated)
            {
                yield return ParsedRecord<T>.Invalid(JsonDuplicateKeys.Error(location, repeated));
                continue;
            }
            foreach (var property in record.EnumerateObject()) AddColumn(property.Name);
            yield return ParseRecord(record, line.Number, location);
        }
    }

    /// <summary>Makes the example of one JSON object, whose errors are located at <paramref name="location"/>.</summary>
    protected abstract ParsedRecord<T> ParseRecord(JsonElement record, long lineNumber, string location);

    private static JsonDocument? TryParse(string line, string location, out DatasetError? error)
    {
        try
        {
            error = null;
            return JsonDocument.Parse(line);
        }
        catch (JsonException exception)
        {
            // The line is one JSON text, so the parser's position within its line is the column (bytes, from 1).
            error = new DatasetError(location, exception.BytePositionInLine is { } at ? $"byte {at + 1}" : null, $"not valid JSON: {exception.Message}");
            return null;
        }
    }
}
