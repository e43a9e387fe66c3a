using System.Text.Json.Nodes;

namespace BertPlatform.Shared.Inference;

/// <summary>One element of a request's <c>inputs</c>, read with errors that name its JSON path and enforce the text limit.</summary>
public sealed class PredictionInput(JsonObject json, int index, int maxCharacters)
{
    public JsonObject Json { get; } = json;

    private string Path(string field) => $"inputs[{index}].{field}";

    public string Text(string field) =>
        OptionalText(field) ?? throw new PredictionInputException(Path(field), $"{Path(field)} is required: a string.");

    public string? OptionalText(string field)
    {
        if (!Json.ContainsKey(field) || Json[field] is null) return null;
        if (Json[field] is not JsonValue value || !value.TryGetValue<string>(out var text))
            throw new PredictionInputException(Path(field), $"{Path(field)} must be a string.");
        return CheckLength(field, text, text.Length);
    }

    public bool Has(string field) => Json.ContainsKey(field);

    public IReadOnlyList<string> Strings(string field, int minimum = 1)
    {
        if (Json[field] is not JsonArray array || !array.All(n => n is JsonValue v && v.TryGetValue<string>(out _)))
            throw new PredictionInputException(Path(field), $"{Path(field)} must be an array of strings.");
        var strings = array.Select(n => n!.GetValue<string>()).ToList();
        if (strings.Count < minimum) throw new PredictionInputException(Path(field), $"{Path(field)} must hold at least {minimum} string(s).");
        CheckLength(field, "", strings.Sum(s => s.Length + 1));
        return strings;
    }

    private string CheckLength(string field, string text, int length) =>
        length <= maxCharacters ? text
        : throw new PredictionInputException(Path(field), $"{Path(field)} has {length} characters; at most {maxCharacters} are accepted per input.");

    public PredictionInputException Error(string field, string message) => new(Path(field), message);
}
