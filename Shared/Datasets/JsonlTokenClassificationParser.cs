using System.Text.Json;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Datasets;

/// <summary>
/// Token classification from JSONL: <c>{"tokens": ["EU", "rejects"], "tags": ["B-ORG", "O"]}</c> under the mapped
/// names; tags may be names or integer class ids, and there must be one per token. An optional <c>language</c>
/// (the mapped name) tags the sentence's language for per-language metrics.
/// </summary>
internal sealed class JsonlTokenClassificationParser(ColumnMapping columns) : JsonlParser<TokenClassificationExample>
{
    protected override ParsedRecord<TokenClassificationExample> ParseRecord(JsonElement record, long lineNumber, string location)
    {
        var errors = new List<DatasetError>();
        var tokens = Strings(record, columns.Tokens, location, errors, allowIntegers: false);
        var tags = Strings(record, columns.Tags, location, errors, allowIntegers: true);
        if (tokens is not null && tags is not null)
        {
            if (tokens.Count == 0) errors.Add(new DatasetError(location, columns.Tokens, "the sentence has no tokens"));
            else if (tokens.Count != tags.Count)
                errors.Add(new DatasetError(location, columns.Tags, $"{tags.Count} tags for {tokens.Count} tokens; one tag per token is expected"));
            else Iob2TagRules.Check(tags, i => (location, $"{columns.Tags}[{i}]"), errors);
        }
        var language = JsonFields.OptionalLanguage(record, columns.Language, location, errors);
        return errors.Count > 0
            ? ParsedRecord<TokenClassificationExample>.Invalid(errors)
            : ParsedRecord<TokenClassificationExample>.Valid(new TokenClassificationExample(lineNumber, tokens!, tags!, language));
    }

    private static List<string>? Strings(JsonElement record, string field, string location, List<DatasetError> errors, bool allowIntegers)
    {
        if (!JsonFields.IsPresent(record, field))
        {
            errors.Add(new DatasetError(location, field, $"the field '{field}' is missing; an array of strings is expected"));
            return null;
        }
        var array = record.GetProperty(field);
        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new DatasetError(location, field, $"an array of strings is expected, found {JsonFields.Describe(array)}"));
            return null;
        }
        var values = new List<string>(array.GetArrayLength());
        var errorCount = errors.Count;
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var column = $"{field}[{index++}]";
            if (allowIntegers && item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out var id)) values.Add(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            else if (item.ValueKind != JsonValueKind.String) errors.Add(new DatasetError(location, column, $"a string is expected, found {JsonFields.Describe(item)}"));
            else if (string.IsNullOrWhiteSpace(item.GetString())) errors.Add(new DatasetError(location, column, allowIntegers ? "the tag is empty" : "the token is empty"));
            else values.Add(item.GetString()!);
        }
        return errors.Count == errorCount ? values : null;
    }
}
