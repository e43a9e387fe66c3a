using System.Text.Json;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Datasets;

/// <summary>
/// Text classification from JSONL: <c>{"text": "...", "text_pair": "...", "label": ...}</c> under the mapped names
/// (an unlabeled dataset's label, if any, is not read).
/// Whether the dataset has pairs is decided by its first record; the others must agree.
/// </summary>
internal sealed class JsonlTextClassificationParser(ColumnMapping columns, ProblemType? problemType, bool unlabeled = false)
    : JsonlParser<TextClassificationExample>
{
    private readonly TextClassificationLabels labels = new(problemType);
    private bool? hasPairs;
    private string firstLocation = "";

    protected override ParsedRecord<TextClassificationExample> ParseRecord(JsonElement record, long lineNumber, string location)
    {
        var errors = new List<DatasetError>();
        var text = JsonFields.RequiredText(record, columns.Text, location, errors);
        var pair = Pair(record, location, errors);
        var label = unlabeled ? [] : labels.FromJson(record.TryGetProperty(columns.Label, out var value) ? value : null, location, columns.Label, errors);
        var language = JsonFields.OptionalLanguage(record, columns.Language, location, errors);
        return errors.Count > 0
            ? ParsedRecord<TextClassificationExample>.Invalid(errors)
            : ParsedRecord<TextClassificationExample>.Valid(new TextClassificationExample(lineNumber, text!, pair, label!, language));
    }

    private string? Pair(JsonElement record, string location, List<DatasetError> errors)
    {
        var present = JsonFields.IsPresent(record, columns.TextPair);
        if (hasPairs is null)
        {
            hasPairs = present;
            firstLocation = location;
        }
        else if (hasPairs != present)
        {
            errors.Add(new DatasetError(location, columns.TextPair, present
                ? $"a text pair, but the first record ({firstLocation}) has none; either every record has a pair or none does"
                : $"the pair text is missing, but the first record ({firstLocation}) has one; either every record has a pair or none does"));
            return null;
        }
        return present ? JsonFields.NonEmptyText(record.GetProperty(columns.TextPair), location, columns.TextPair, errors) : null;
    }
}
