using System.Globalization;

namespace BertPlatform.GpuRunner.Training;

/// <summary>Metrics as event messages show them: "name value, ..." with four decimals, in invariant culture.</summary>
public static class MetricsText
{
    public static string Describe(IReadOnlyDictionary<string, double> metrics) =>
        string.Join(", ", metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:0.####}")));
}
