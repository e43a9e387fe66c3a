using System.Runtime.CompilerServices;
using BertPlatform.Shared.Contracts;
using global::CsvHelper;

namespace BertPlatform.Shared.Datasets;

/// <summary>
/// Text classification from CSV (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes) or TSV
/// (no quoting at all, the IANA form that GLUE's .tsv files use, where a quote in a sentence is just a character).
/// The header row names the columns; the mapping picks the text, the optional pair and the label (none when unlabeled).
/// </summary>
internal sealed class CsvTextClassificationParser(DatasetFormat format, ColumnMapping columns, ProblemType? problemType, bool unlabeled = false)
    : DatasetParser<TextClassificationExample>
{
    /// <summary>Largest record accepted (UTF-8 bytes); without a limit one unclosed quote turns the rest of a big file into one field.</summary>
    public const int MaxRecordBytes = 4 * 1024 * 1024;

    public override async IAsyncEnumerable<ParsedRecord<TextClassificationExample>> ParseAsync(
        Stream utf8Content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The reader scans ahead in blocks, so quoting problems arrive before their record does: keep them by record number.
        var malformed = new Dictionary<long, CsvMalformedReason>();
        var options = CsvReaderOptions.Default with
        {
            Separator = format == DatasetFormat.Tsv ? '\t' : ',',
            Mode = format == DatasetFormat.Tsv ? CsvMode.NoEscape : CsvMode.Rfc4180,
            HasHeader = true,
            SkipEmptyLines = true,
            MaxRecordSize = MaxRecordBytes,
            OnMalformedRecord = record => malformed.TryAdd(record.RecordNumber, record.Reason),
        };
        await using var reader = CsvReader.Create(utf8Content, options, leaveOpen: true);

        await Guarded(HeaderRead(reader.ReadHeaderAsync(cancellationToken)), () => "header").ConfigureAwait(false);
        var header = reader.Headers.ToArray();
        if (header.Length == 0)
            throw new DatasetFormatException(new DatasetError("header", null, "the file is empty; a header row naming the columns is expected"));
        if (malformed.Remove(1, out var headerProblem))
            throw new DatasetFormatException(new DatasetError("header", null, Describe(headerProblem)));
        for (var i = 0; i < header.Length; i++)
        {
            var first = Array.IndexOf(header, header[i]);
            if (first < i)
                throw new DatasetFormatException(new DatasetError("header", header[i],
                    $"the column '{header[i]}' is named twice (columns {first + 1} and {i + 1}); every column needs its own name"));
        }
        foreach (var name in header) AddColumn(name);
        var textIndex = RequiredColumn(header, columns.Text);
        var labelIndex = unlabeled ? -1 : RequiredColumn(header, columns.Label);
        var pairIndex = Array.IndexOf(header, columns.TextPair);
        var languageIndex = Array.IndexOf(header, columns.Language);
        var labels = new TextClassificationLabels(problemType);

        while (await Guarded(reader.ReadAsync(cancellationToken), () => $"row {reader.RowNumber + 1}").ConfigureAwait(false))
        {
            var row = reader.RowNumber;
            var location = $"row {row}";
            var errors = new List<DatasetError>();
            // CsvHelper numbers records with the header as 1.
            if (malformed.Remove(row + 1, out var problem)) errors.Add(new DatasetError(location, null, Describe(problem)));
            else if (reader.FieldCount != header.Length)
                errors.Add(new DatasetError(location, reader.FieldCount < header.Length ? header[reader.FieldCount] : $"column {header.Length + 1}",
                    $"{reader.FieldCount} fields found, {header.Length} expected as in the header"));
            if (errors.Count > 0)
            {
                yield return ParsedRecord<TextClassificationExample>.Invalid(errors);
                continue;
            }
            var text = NonEmpty(reader.GetString(textIndex), location, columns.Text, errors);
            var pair = pairIndex < 0 ? null : NonEmpty(reader.GetString(pairIndex), location, columns.TextPair, errors);
            var rowLabels = labelIndex < 0 ? [] : labels.FromCell(reader.GetString(labelIndex), location, columns.Label, errors);
            yield return errors.Count > 0
                ? ParsedRecord<TextClassificationExample>.Invalid(errors)
                : ParsedRecord<TextClassificationExample>.Valid(new TextClassificationExample(row, text!, pair, rowLabels!,
                    languageIndex < 0 ? null : LanguageTag.Normalize(reader.GetString(languageIndex))));
        }
    }

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "a quote inside an unquoted field; quote the whole field and double the quotes inside it",
        CsvMalformedReason.TextAfterClosingQuote => "text after the closing quote of a field; double the quotes inside a quoted field",
        CsvMalformedReason.UnterminatedQuote => "a quoted field is never closed",
        _ => $"malformed record ({reason})",
    };

    /// <summary>Turns what the CSV reader cannot get past (a record over the size limit) into a located dataset error.</summary>
    private static async Task<bool> Guarded(ValueTask<bool> read, Func<string> location)
    {
        try
        {
            return await read.ConfigureAwait(false);
        }
        catch (CsvFormatException exception)
        {
            var where = exception.RecordNumber switch { > 1 => $"row {exception.RecordNumber - 1}", 1 => "header", _ => location() };
            throw new DatasetFormatException(new DatasetError(where, null,
                $"the CSV cannot be read past this point (records are limited to {MaxRecordBytes:N0} bytes; is a quote left unclosed?): {exception.Message}"));
        }
    }

    private static async ValueTask<bool> HeaderRead(ValueTask read)
    {
        await read.ConfigureAwait(false);
        return true;
    }

    private int RequiredColumn(string[] header, string name)
    {
        var index = Array.IndexOf(header, name);
        if (index >= 0) return index;
        throw new DatasetFormatException(new DatasetError("header", name,
            $"the column '{name}' is missing; the header has {string.Join(", ", header.Select(column => $"'{column}'"))}"));
    }

    private static string? NonEmpty(string? value, string location, string column, List<DatasetError> errors)
    {
        if (!string.IsNullOrWhiteSpace(value)) return value;
        errors.Add(new DatasetError(location, column, "the text is empty"));
        return null;
    }
}
