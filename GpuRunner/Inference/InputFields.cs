using System.Text.Json.Nodes;

namespace BertPlatform.GpuRunner.Inference;

/// <summary>Reads fields of an input record with errors that name the field and what was expected.</summary>
public static class InputFields
{
    public static string Text(JsonObject input, string field) =>
        input[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text
        : throw new InvalidDataException($"field '{field}' must be a string");

    public static string? OptionalText(JsonObject input, string field) => input.ContainsKey(field) ? Text(input, field) : null;

    public static IReadOnlyList<string> Strings(JsonObject input, string field) =>
        input[field] is JsonArray array && array.All(n => n is JsonValue v && v.TryGetValue<string>(out _))
            ? array.Select(n => n!.GetValue<string>()).ToList()
            : throw new InvalidDataException($"field '{field}' must be an array of strings");
}
