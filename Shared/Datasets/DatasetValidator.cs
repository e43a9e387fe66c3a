namespace BertPlatform.Shared.Datasets;

/// <summary>
/// Checks an uploaded dataset while it streams by (see <c>ITaskData.ValidateAsync</c>, which picks the parser):
/// UTF-8 checked byte by byte, memory bounded by one record whatever the size of the stream.
/// </summary>
internal static class DatasetValidator
{
    public static async Task<ValidationReport> ValidateAsync<T>(Stream content, DatasetParser<T> parser, Func<T, IEnumerable<string>> labelsOf,
        Func<T, CorpusCounts?> countsOf, CancellationToken cancellationToken) where T : class
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
                    if (countsOf(example) is { } counts) report.CountCorpus(counts);
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

    /// <summary>The report of a dataset refused before its first byte (a format the task cannot read).</summary>
    public static ValidationReport Rejected(DatasetError error)
    {
        var report = new ValidationReportBuilder();
        report.AddError(error);
        return report.Build([], 0);
    }
}
