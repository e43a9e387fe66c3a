using System.Globalization;
using BertPlatform.Shared.Metrics;

namespace BertPlatform.GpuRunner.Training;

/// <summary>
/// Metrics as event messages show them: "name value, ..." with four decimals, in invariant culture. Breakdowns (per
/// language, per evaluation set) stay in the event's metrics; the message names only the languages' counts.
/// </summary>
public static class MetricsText
{
    public static string Describe(IReadOnlyDictionary<string, double> metrics)
    {
        var overall = string.Join(", ", metrics.Where(m => !MetricBreakdown.IsBreakdown(m.Key))
            .Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:0.####}")));
        var languages = MetricBreakdown.LanguageTable(metrics);
        if (languages.Count > 0)
            overall += "; languages: " + string.Join(", ", languages.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Key} (n {l.Value.GetValueOrDefault(MetricBreakdown.Count):0})")));
        // Named validation sets: "{set}/{metric}" at the top of each set's breakdown.
        var sets = metrics.Keys.Where(k => k.Count(c => c == '/') == 1 && !k.StartsWith(MetricBreakdown.LanguagePrefix, StringComparison.Ordinal))
            .Select(k => k[..k.IndexOf('/', StringComparison.Ordinal)]).Distinct().ToList();
        foreach (var set in sets)
            overall += $"; {set}: " + string.Join(", ", MetricBreakdown.Overall(metrics, set + "/")
                .Where(m => m.Key != "eval_loss").Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:0.####}")));
        return overall;
    }
}
