using System.Globalization;

namespace BertPlatform.Shared.Metrics;

/// <summary>
/// Metrics broken down by language or by evaluation set, kept in the one flat metric dictionary that events, the
/// job record and metrics.json carry: <c>lang/{language}/{metric}</c> (with <c>lang/{language}/count</c>) and
/// <c>{set}/{metric}</c>, <c>{set}/lang/{language}/{metric}</c> for a job's named validation sets. Top-level names
/// have no '/', so a reader that knows nothing of breakdowns still finds the overall metrics.
/// </summary>
public static class MetricBreakdown
{
    public const string LanguagePrefix = "lang/";

    /// <summary>Examples in a group.</summary>
    public const string Count = "count";

    public static string LanguageKey(string language, string metric) => $"{LanguagePrefix}{language}/{metric}";

    public static bool IsBreakdown(string key) => key.Contains('/', StringComparison.Ordinal);

    /// <summary>
    /// The metrics of each language's examples and their count, flattened. <paramref name="metricsOf"/> scores a
    /// subset given by example indices, the same way the whole set is scored. Nothing where any example has no
    /// language: features encoded for training carry none, an evaluation set's always do.
    /// </summary>
    public static Dictionary<string, double> ByLanguage(IReadOnlyList<string?> languages, Func<int[], IReadOnlyDictionary<string, double>> metricsOf)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (languages.Any(language => language is null)) return result;
        foreach (var group in Enumerable.Range(0, languages.Count).GroupBy(i => languages[i]!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var indices = group.ToArray();
            result[LanguageKey(group.Key, Count)] = indices.Length;
            foreach (var (name, value) in metricsOf(indices)) result[LanguageKey(group.Key, name)] = value;
        }
        return result;
    }

    /// <summary>The per-language table inside <paramref name="metrics"/> (under <paramref name="prefix"/>, e.g. "xnli-de/"): language → metric → value.</summary>
    public static SortedDictionary<string, SortedDictionary<string, double>> LanguageTable(IReadOnlyDictionary<string, double> metrics, string prefix = "")
    {
        var table = new SortedDictionary<string, SortedDictionary<string, double>>(StringComparer.Ordinal);
        foreach (var (key, value) in metrics)
        {
            if (!key.StartsWith(prefix + LanguagePrefix, StringComparison.Ordinal)) continue;
            var rest = key[(prefix.Length + LanguagePrefix.Length)..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0) continue;
            var (language, metric) = (rest[..slash], rest[(slash + 1)..]);
            if (!table.TryGetValue(language, out var row)) table[language] = row = new(StringComparer.Ordinal);
            row[metric] = value;
        }
        return table;
    }

    /// <summary>The overall (top-level) metrics of <paramref name="metrics"/> under <paramref name="prefix"/>, without breakdowns below it.</summary>
    public static Dictionary<string, double> Overall(IReadOnlyDictionary<string, double> metrics, string prefix = "") =>
        metrics.Where(m => m.Key.StartsWith(prefix, StringComparison.Ordinal) && !IsBreakdown(m.Key[prefix.Length..]))
            .ToDictionary(m => m.Key[prefix.Length..], m => m.Value, StringComparer.Ordinal);

    /// <summary>"de 0.61 (n 5), en 0.8 (n 10)" for one metric of a language table.</summary>
    public static string DescribeLanguages(SortedDictionary<string, SortedDictionary<string, double>> table, string metric) =>
        string.Join(", ", table.Select(row => string.Create(CultureInfo.InvariantCulture,
            $"{row.Key} {(row.Value.TryGetValue(metric, out var v) ? v.ToString("0.####", CultureInfo.InvariantCulture) : "n/a")} (n {row.Value.GetValueOrDefault(Count):0})")));
}
