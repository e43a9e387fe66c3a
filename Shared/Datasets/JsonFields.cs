using System.Text.Json;

namespace BertPlatform.Shared.Datasets;

/// <summary>Reads the fields of a JSON record, adding a precise error (which field, what was expected) when one is wrong.</summary>
internal static class JsonFields
{
    public static bool IsPresent(JsonElement record, string field) =>
        record.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>A string that must be there and hold more than white space.</summary>
    public static string? RequiredText(JsonElement record, string field, string location, List<DatasetError> errors)
    {
        if (!IsPresent(record, field))
        {
            errors.Add(new DatasetError(location, field, $"the field '{field}' is missing; a non-empty string is expected"));
            return null;
        }
        return NonEmptyText(record.GetProperty(field), location, field, errors);
    }

    /// <summary>Null when absent; when present it must be a non-empty string.</summary>
    public static string? OptionalText(JsonElement record, string field, string location, List<DatasetError> errors) =>
        IsPresent(record, field) ? NonEmptyText(record.GetProperty(field), location, field, errors) : null;

    /// <summary>
    /// A record's optional language tag, normalized (<see cref="LanguageTag"/>); null when absent, null or blank, in
    /// which case evaluation detects the language from the text.
    /// </summary>
    public static string? OptionalLanguage(JsonElement record, string field, string location, List<DatasetError> errors)
    {
        if (!IsPresent(record, field)) return null;
        var value = record.GetProperty(field);
        if (value.ValueKind == JsonValueKind.String) return LanguageTag.Normalize(value.GetString());
        errors.Add(new DatasetError(location, field, $"a language tag (a string such as \"de\") is expected, found {Describe(value)}"));
        return null;
    }

    public static string? NonEmptyText(JsonElement value, string location, string field, List<DatasetError> errors)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new DatasetError(location, field, $"a string is expected, found {Describe(value)}"));
            return null;
        }
        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new DatasetError(location, field, "the text is empty"));
            return null;
        }
        return text;
    }

    /// <summary>An integer, given as a JSON number or as a string holding one.</summary>
    public static long? Integer(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)) return number;
        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), System.Globalization.NumberStyles.AllowLeadingSign,
                System.Globalization.CultureInfo.InvariantCulture, out number)) return number;
        return null;
    }

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Shorten(value.GetString()!)}\"",
        JsonValueKind.Number => $"the number {Shorten(value.GetRawText())}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString(),
    };

    /// <summary>Keeps quoted user data in an error message short.</summary>
    public static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
