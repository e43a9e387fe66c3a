using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Datasets;

/// <summary>
/// Checks an uploaded dataset while it streams by: every record parsed with the same code that later feeds training,
/// UTF-8 checked byte by byte, memory bounded by one record whatever the size of the stream.
/// </summary>
public static class DatasetValidator
{
    /// <summary>Label-count keys of question answering: questions with and without an answer (SQuAD v2.0).</summary>
    public const string HasAnswer = "has_answer";

    public const string NoAnswer = "no_answer";

    public static Task<ValidationReport> ValidateAsync(Stream content, DatasetFormat format, TaskType task, ColumnMapping columns,
        ProblemType? problemType, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(columns);
        try
        {
            return task switch
            {
                TaskType.TextClassification => RunAsync(content, DatasetParsers.TextClassification(format, columns, problemType),
                    example => problemType == ProblemType.Regression ? [] : example.Labels, ct),
                TaskType.TokenClassification => RunAsync(content, DatasetParsers.TokenClassification(format, columns), example => example.Tags, ct),
                TaskType.QuestionAnswering => RunAsync(content, DatasetParsers.QuestionAnswering(format, columns),
                    example => [example.IsImpossible ? NoAnswer : HasAnswer], ct),
                TaskType.MultipleChoice => RunAsync(content, DatasetParsers.MultipleChoice(format, columns),
                    example => [example.Label.ToString(System.Globalization.CultureInfo.InvariantCulture)], ct),
                TaskType.Pretraining => RunAsync(content, DatasetParsers.Corpus(format, columns), _ => [], ct),
                _ => throw new ArgumentOutOfRangeException(nameof(task), task, "unknown task"),
            };
        }
        catch (DatasetFormatException exception)
        {
            var report = new ValidationReportBuilder();
            report.AddError(exception.Error);
            return Task.FromResult(report.Build([], 0));
        }
    }

    private static async Task<ValidationReport> RunAsync<T>(Stream content, DatasetParser<T> parser, Func<T, IEnumerable<string>> labelsOf,
        CancellationToken cancellationToken) where T : class
    {
        var report = new ValidationReportBuilder();
        var utf8 = new Utf8ValidatingStream(content, report.AddError);
        try
        {
            await foreach (var record in parser.ParseAsync(utf8, cancellationToken).ConfigureAwait(false))
            {
                report.AddRow();
                if (record.Example is { } example)
                {
                    foreach (var label in labelsOf(example)) report.CountLabel(label);
                }
                foreach (var error in record.Errors) report.AddError(error);
            }
        }
        catch (DatasetFormatException exception)
        {
            report.AddError(exception.Error);
        }
        if (report.RowCount == 0 && report.ErrorCount == 0)
            report.AddError(new DatasetError("line 1", null, parser.NoExamplesMessage));
        return report.Build(parser.Columns, utf8.BytesRead);
    }
}
