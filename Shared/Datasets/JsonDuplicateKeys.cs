using System.Text.Json;

namespace BertPlatform.Shared.Datasets;

/// <summary>
/// Finds a key repeated within one JSON object. The JSON parsers keep the last (or the first) of the two silently, so
/// a record that says <c>"label": "pos", ..., "label": "neg"</c> would train on whichever the reader happens to pick.
/// </summary>
internal static class JsonDuplicateKeys
{
    /// <summary>The path of the first repeated key (<c>answers[0].text</c>), or null when every object's keys are unique.</summary>
    public static string? Find(JsonElement element) => Find(element, "");

    private static string? Find(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string>? seen = null;
                foreach (var property in element.EnumerateObject())
                {
                    seen ??= new HashSet<string>(StringComparer.Ordinal);
                    var propertyPath = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (!seen.Add(property.Name)) return propertyPath;
                    if (Find(property.Value, propertyPath) is { } inner) return inner;
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item, $"{path}[{index++}]") is { } inner) return inner;
                }
                return null;
            default:
                return null;
        }
    }

    public static DatasetError Error(string location, string path) =>
        new(location, path, $"the key '{path[(path.LastIndexOfAny(['.', ']']) + 1)..]}' appears twice in one object; JSON keys must be unique");
}
