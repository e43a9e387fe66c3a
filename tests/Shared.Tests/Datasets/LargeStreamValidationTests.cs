using System.Diagnostics;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using Xunit.Abstractions;

namespace BertPlatform.Shared.Tests.Datasets;

public class LargeStreamValidationTests(ITestOutputHelper output)
{
    private const long StreamBytes = 200_000_000;
    private const long AllowedGrowthBytes = 50_000_000;

    [Fact]
    public async Task Two_hundred_megabytes_validate_with_flat_memory()
    {
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var workingSetBefore = Environment.WorkingSet;
        long peakLive = 0, peakWorkingSet = 0;
        var stream = new GeneratedCsvStream(StreamBytes, () =>
        {
            peakLive = Math.Max(peakLive, GC.GetTotalMemory(forceFullCollection: true));
            peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet);
        });
        var clock = Stopwatch.StartNew();

        var report = await DatasetValidator.ValidateAsync(stream, DatasetFormat.Csv, TaskType.TextClassification, ColumnMapping.Default, null, CancellationToken.None);

        clock.Stop();
        var growth = peakLive - baseline;
        output.WriteLine($"{report.Bytes:N0} bytes, {report.RowCount:N0} rows in {clock.Elapsed.TotalSeconds:F1} s " +
                         $"({report.Bytes / clock.Elapsed.TotalSeconds / 1e6:F0} MB/s); live heap growth at peak {growth / 1e6:F1} MB; " +
                         $"working set {workingSetBefore / 1e6:F0} MB before, {peakWorkingSet / 1e6:F0} MB at peak");
        Assert.True(report.IsValid, string.Join("\n", Validation.Describe(report)));
        Assert.True(report.Bytes >= StreamBytes);
        Assert.Equal(stream.Rows, report.RowCount);
        Assert.Equal(stream.LabelCounts.OrderBy(pair => pair.Key), report.LabelCounts.OrderBy(pair => pair.Key));
        Assert.True(peakLive > 0, "the memory probe never ran");
        Assert.True(growth < AllowedGrowthBytes, $"live memory grew by {growth:N0} bytes while validating");
    }
}
