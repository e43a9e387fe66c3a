using System.Text.Json;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Datasets;

/// <summary>
/// Multiple choice from JSONL: <c>{"context", "question", "endings": [...], "label": 2}</c> under the mapped names.
/// The model scores every ending of a batch together, so every record must offer as many endings as the first. An
/// optional <c>language</c> (the mapped name) tags the item's language for per-language metrics.
/// </summary>
internal sealed class JsonlMultipleChoiceParser(ColumnMapping columns) : JsonlParser<MultipleChoiceExample>
{
    private int? choiceCount;
    private string firstLocation = "";

    protected override ParsedRecord<MultipleChoiceExample> ParseRecord(JsonElement record, long lineNumber, string location)
    {
        var errors = new List<DatasetError>();
        var context = JsonFields.RequiredText(record, columns.Context, location, errors);
        var question = JsonFields.OptionalText(record, columns.Question, location, errors);
        var endings = Endings(record, location, errors);
        var label = Label(record, endings?.Count, location, errors);
        var language = JsonFields.OptionalLanguage(record, columns.Language, location, errors);
        return errors.Count > 0
            ? ParsedRecord<MultipleChoiceExample>.Invalid(errors)
            : ParsedRecord<MultipleChoiceExample>.Valid(new MultipleChoiceExample(lineNumber, context!, question, endings!, label!.Value, language));
    }

    private List<string>? Endings(JsonElement record, string location, List<DatasetError> errors)
    {
        var field = columns.Endings;
        if (!JsonFields.IsPresent(record, field) || record.GetProperty(field) is not { ValueKind: JsonValueKind.Array } array)
        {
            errors.Add(new DatasetError(location, field, $"the field '{field}' must be an array of candidate endings"));
            return null;
        }
        var endings = new List<string>();
        var errorCount = errors.Count;
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var ending = JsonFields.NonEmptyText(item, location, $"{field}[{index++}]", errors);
            if (ending is not null) endings.Add(ending);
        }
        if (errors.Count > errorCount) return null;
        if (endings.Count < 2)
        {
            errors.Add(new DatasetError(location, field, $"{endings.Count} endings; at least 2 choices are expected"));
            return null;
        }
        if (choiceCount is null)
        {
            (choiceCount, firstLocation) = (endings.Count, location);
        }
        else if (choiceCount != endings.Count)
        {
            errors.Add(new DatasetError(location, field, $"{endings.Count} endings, but {firstLocation} has {choiceCount}; every record must offer the same number of choices"));
            return null;
        }
        return endings;
    }

    private int? Label(JsonElement record, int? endingCount, string location, List<DatasetError> errors)
    {
        var field = columns.Label;
        if (!JsonFields.IsPresent(record, field))
        {
            errors.Add(new DatasetError(location, field, $"the field '{field}' is missing; the index of the right ending is expected"));
            return null;
        }
        var value = record.GetProperty(field);
        var index = JsonFields.Integer(value);
        if (index is null)
        {
            errors.Add(new DatasetError(location, field, $"the index of the right ending (an integer) is expected, found {JsonFields.Describe(value)}"));
            return null;
        }
        if (endingCount is { } count && (index < 0 || index >= count))
        {
            errors.Add(new DatasetError(location, field, $"{index} is not the index of an ending; 0 to {count - 1} are expected"));
            return null;
        }
        return (int?)index;
    }
}
