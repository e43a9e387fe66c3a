using System.Text.Json;
using BertPlatform.Functions.Http;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Tasks;
using Microsoft.AspNetCore.Http;

namespace BertPlatform.Functions.Datasets;

/// <summary>
/// What a client says about an uploaded file, since the body is the raw file: query parameters
/// (<c>?name=&amp;format=&amp;task=</c>, optional <c>problemType</c>, <c>unlabeled</c> and <c>textColumn</c>, <c>labelColumn</c> ...)
/// or the same names as <c>x-dataset-*</c> headers (<c>x-dataset-name</c>, <c>x-dataset-label-column</c> ...).
/// </summary>
public sealed record UploadMetadata(string Name, DatasetFormat Format, TaskType Task, ProblemType? ProblemType, ColumnMapping Columns)
{
    /// <summary><c>unlabeled=true</c>: inputs without labels, for batch predictions (text classification only).</summary>
    public bool Unlabeled { get; init; }

    public const int MaxNameLength = 200;
    public const int MaxColumnNameLength = 200;

    /// <summary>The parameter names of the column mapping (<c>textColumn</c> ...), the JSON field of each without the suffix.</summary>
    public static IEnumerable<string> ColumnParameterNames => ColumnParameters.Select(p => p.Key);

    private static readonly (string Key, Func<ColumnMapping, string, ColumnMapping> Set)[] ColumnParameters =
    [
        ("textColumn", (c, v) => c with { Text = v }),
        ("textPairColumn", (c, v) => c with { TextPair = v }),
        ("labelColumn", (c, v) => c with { Label = v }),
        ("languageColumn", (c, v) => c with { Language = v }),
        ("tokensColumn", (c, v) => c with { Tokens = v }),
        ("tagsColumn", (c, v) => c with { Tags = v }),
        ("questionColumn", (c, v) => c with { Question = v }),
        ("contextColumn", (c, v) => c with { Context = v }),
        ("answersColumn", (c, v) => c with { Answers = v }),
        ("endingsColumn", (c, v) => c with { Endings = v }),
    ];

    /// <param name="formFields">Fields of a multipart form sent before its file part; query and headers win over them.</param>
    public static (UploadMetadata? Metadata, FieldError? Error) Parse(HttpRequest request, IReadOnlyDictionary<string, string>? formFields = null) =>
        Parse(key => FromRequest(request, key) ?? formFields?.GetValueOrDefault(key));

    /// <summary>Reads the metadata through <paramref name="value"/>, which answers a parameter name with its value or null.</summary>
    public static (UploadMetadata? Metadata, FieldError? Error) Parse(Func<string, string?> value)
    {
        var name = value("name");
        if (string.IsNullOrWhiteSpace(name)) return Fail("name", "Give the dataset a name (?name= or the x-dataset-name header).");
        if (name.Length > MaxNameLength) return Fail("name", $"The name has {name.Length} characters; at most {MaxNameLength} are allowed.");
        if (name.Any(char.IsControl)) return Fail("name", "The name contains control characters.");

        var formatText = value("format");
        if (string.IsNullOrWhiteSpace(formatText)) return Fail("format", "Say the file format (?format=csv|tsv|jsonl|conll|squad|text).");
        if (WireEnum<DatasetFormat>(formatText) is not { } format)
            return Fail("format", $"Unknown format '{formatText}'; expected one of csv, tsv, jsonl, conll, squad, text.");

        var taskText = value("task");
        if (string.IsNullOrWhiteSpace(taskText)) return Fail("task", "Say which task the data is for (?task=text_classification ...).");
        if (WireEnum<TaskType>(taskText) is not { } task || TaskCatalog.All.All(t => t.Task != task))
            return Fail("task", $"Unknown task '{taskText}'; expected one of {string.Join(", ", TaskCatalog.All.Select(t => WireName(t.Task)))}.");

        ProblemType? problemType = null;
        if (value("problemType") is { Length: > 0 } problemText)
        {
            problemType = WireEnum<ProblemType>(problemText);
            if (problemType is null)
                return Fail("problemType", $"Unknown problem type '{problemText}'; expected single_label_classification, multi_label_classification or regression.");
        }

        var unlabeled = false;
        if (value("unlabeled") is { Length: > 0 } unlabeledText)
        {
            if (!bool.TryParse(unlabeledText, out unlabeled)) return Fail("unlabeled", $"unlabeled must be true or false; got '{unlabeledText}'.");
            if (unlabeled && !TaskCatalog.For(task).AcceptsUnlabeled)
                return Fail("unlabeled", $"{WireName(task)} datasets must carry their labels; only text_classification data may be uploaded unlabeled (for batch predictions).");
            if (unlabeled && problemType is not null)
                return Fail("problemType", "An unlabeled dataset has no labels to read as a problem type; leave problemType out.");
        }

        var columns = ColumnMapping.Default;
        foreach (var (key, set) in ColumnParameters)
        {
            if (value(key) is not { } column) continue;
            if (column.Length == 0 || column.Length > MaxColumnNameLength)
                return Fail(key, $"A column name must have 1 to {MaxColumnNameLength} characters; got {column.Length}.");
            columns = set(columns, column);
        }
        return (new UploadMetadata(name, format, task, problemType, columns) { Unlabeled = unlabeled }, null);
    }

    /// <summary>File extension of the stored blob.</summary>
    public string Extension => Format switch
    {
        DatasetFormat.Squad => "json",
        DatasetFormat.Text => "txt",
        _ => WireName(Format),
    };

    private static (UploadMetadata?, FieldError?) Fail(string field, string message) => (null, new FieldError(field, message));

    private static string? FromRequest(HttpRequest request, string key)
    {
        if (request.Query.TryGetValue(key, out var fromQuery)) return fromQuery.ToString();
        return request.Headers.TryGetValue(HeaderName(key), out var fromHeader) ? fromHeader.ToString() : null;
    }

    /// <summary><c>labelColumn</c> → <c>x-dataset-label-column</c>.</summary>
    public static string HeaderName(string key) =>
        "x-dataset-" + string.Concat(key.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString()));

    private static T? WireEnum<T>(string text) where T : struct, Enum
    {
        try
        {
            return JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(text), PlatformJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string WireName<T>(T value) => JsonSerializer.Serialize(value, PlatformJson.Options).Trim('"');
}
