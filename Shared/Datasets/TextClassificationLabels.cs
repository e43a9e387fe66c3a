using System.Globalization;
using System.Text.Json;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Datasets;

/// <summary>
/// What a text-classification label must look like for each problem type, for CSV/TSV cells and JSON values alike.
/// Single-label: a name or an integer class index. Multi-label: a JSON array of those, or in a cell a comma-separated
/// list (empty means no label). Regression: a finite float. Without a problem type a label is single unless it is a
/// JSON array, and then every record must use the shape of the first one. A label column holds names or class indices,
/// never both: "positive" beside 3 means a shifted column or a half-converted file, and no mapping of the two is right.
/// </summary>
internal sealed class TextClassificationLabels(ProblemType? problemType)
{
    private bool? firstWasList;
    private string firstLocation = "";
    private (bool IsIndex, string Label, string Location)? firstKind;

    public IReadOnlyList<string>? FromCell(string cell, string location, string column, List<DatasetError> errors) => problemType switch
    {
        ProblemType.Regression => Regression(cell, location, column, errors),
        ProblemType.MultiLabelClassification => SameKind(Distinct(
            cell.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), location, column, errors), location, column, errors),
        _ => SameKind(Single(cell, location, column, errors), location, column, errors),
    };

    public IReadOnlyList<string>? FromJson(JsonElement? value, string location, string column, List<DatasetError> errors)
    {
        if (value is not { ValueKind: not JsonValueKind.Null } label)
        {
            errors.Add(new DatasetError(location, column, $"the field '{column}' is missing; {Expected()} is expected"));
            return null;
        }
        switch (problemType)
        {
            case ProblemType.Regression:
                if (label.ValueKind == JsonValueKind.Number) return Finite(label.GetDouble(), label.GetRawText(), location, column, errors);
                if (label.ValueKind == JsonValueKind.String) return Regression(label.GetString()!, location, column, errors);
                return Fail(location, column, $"a number is expected for regression, found {JsonFields.Describe(label)}", errors);
            case ProblemType.MultiLabelClassification:
                return label.ValueKind == JsonValueKind.Array
                    ? SameKind(List(label, location, column, errors), location, column, errors)
                    : Fail(location, column, $"an array of labels is expected for multi-label classification, found {JsonFields.Describe(label)}", errors);
            case ProblemType.SingleLabelClassification:
                return label.ValueKind == JsonValueKind.Array
                    ? Fail(location, column, "one label is expected for single-label classification, found an array (use multi_label_classification for label lists)", errors)
                    : SameKind(Scalar(label, location, column, errors), location, column, errors);
            default:
                var isList = label.ValueKind == JsonValueKind.Array;
                if (firstWasList is null)
                {
                    firstWasList = isList;
                    firstLocation = location;
                }
                else if (firstWasList != isList)
                {
                    return Fail(location, column, isList
                        ? $"an array of labels, but {firstLocation} has a single label; every record must use the same shape"
                        : $"a single label, but {firstLocation} has an array of labels; every record must use the same shape", errors);
                }
                return SameKind(isList ? List(label, location, column, errors) : Scalar(label, location, column, errors), location, column, errors);
        }
    }

    /// <summary>Checks that <paramref name="labels"/> are of the kind (names or indices) of the first label of the column.</summary>
    private IReadOnlyList<string>? SameKind(IReadOnlyList<string>? labels, string location, string column, List<DatasetError> errors)
    {
        if (labels is null) return null;
        foreach (var label in labels)
        {
            var isIndex = long.TryParse(label, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
            firstKind ??= (isIndex, label, location);
            var first = firstKind.Value;
            if (first.IsIndex == isIndex) continue;
            return Fail(location, column, isIndex
                ? $"the label {label} is a class index, but {first.Location} has the label name \"{JsonFields.Shorten(first.Label)}\"; a label column holds names or class indices, not both"
                : $"the label \"{JsonFields.Shorten(label)}\" is a name, but {first.Location} has the class index {first.Label}; a label column holds names or class indices, not both", errors);
        }
        return labels;
    }

    private string Expected() => problemType switch
    {
        ProblemType.Regression => "a number",
        ProblemType.MultiLabelClassification => "an array of labels",
        _ => "a label name or class index",
    };

    private static IReadOnlyList<string>? Single(string cell, string location, string column, List<DatasetError> errors)
    {
        var label = cell.Trim();
        return label.Length == 0 ? Fail(location, column, "the label is empty", errors) : [label];
    }

    private static IReadOnlyList<string>? Regression(string text, string location, string column, List<DatasetError> errors) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? Finite(value, text, location, column, errors)
            : Fail(location, column, $"\"{JsonFields.Shorten(text)}\" is not a number; regression labels are floats such as 3.5", errors);

    private static IReadOnlyList<string>? Finite(double value, string text, string location, string column, List<DatasetError> errors) =>
        double.IsFinite(value)
            ? [value.ToString("R", CultureInfo.InvariantCulture)]
            : Fail(location, column, $"{JsonFields.Shorten(text)} is not a finite number", errors);

    private static IReadOnlyList<string>? Scalar(JsonElement label, string location, string column, List<DatasetError> errors)
    {
        switch (label.ValueKind)
        {
            case JsonValueKind.String:
                return Single(label.GetString()!, location, column, errors);
            case JsonValueKind.Number when label.TryGetInt64(out var index):
                return [index.ToString(CultureInfo.InvariantCulture)];
            case JsonValueKind.Number:
                return Fail(location, column, $"{label.GetRawText()} is not a class index; labels are names or integers (use the regression problem type for scores)", errors);
            default:
                return Fail(location, column, $"a label name or class index is expected, found {JsonFields.Describe(label)}", errors);
        }
    }

    private static IReadOnlyList<string>? List(JsonElement array, string location, string column, List<DatasetError> errors)
    {
        var labels = new List<string>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemErrors = new List<DatasetError>();
            var label = Scalar(item, location, $"{column}[{index}]", itemErrors);
            if (label is null) errors.AddRange(itemErrors);
            else labels.Add(label[0]);
            index++;
        }
        return labels.Count == index ? Distinct(labels, location, column, errors) : null;
    }

    private static IReadOnlyList<string>? Distinct(IReadOnlyList<string> labels, string location, string column, List<DatasetError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            if (!seen.Add(label)) return Fail(location, column, $"the label \"{JsonFields.Shorten(label)}\" is listed twice", errors);
        }
        return labels;
    }

    private static IReadOnlyList<string>? Fail(string location, string column, string message, List<DatasetError> errors)
    {
        errors.Add(new DatasetError(location, column, message));
        return null;
    }
}
