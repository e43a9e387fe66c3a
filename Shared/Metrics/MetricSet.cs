using System.Collections;

namespace BertPlatform.Shared.Metrics;

/// <summary>
/// The metrics of one evaluation, by name, with the one metric that ranks checkpoints (early stopping, best model).
/// Every primary metric is higher-is-better.
/// </summary>
public sealed class MetricSet : IReadOnlyDictionary<string, double>
{
    private readonly Dictionary<string, double> values;

    public MetricSet(string primaryMetric, IEnumerable<KeyValuePair<string, double>> values)
    {
        this.values = new Dictionary<string, double>(values, StringComparer.Ordinal);
        if (!this.values.ContainsKey(primaryMetric))
        {
            throw new ArgumentException(
                $"Primary metric '{primaryMetric}' is not among the metrics ({string.Join(", ", this.values.Keys)}).",
                nameof(primaryMetric));
        }

        PrimaryMetric = primaryMetric;
    }

    public string PrimaryMetric { get; }

    public double PrimaryValue => values[PrimaryMetric];

    public double this[string key] => values.TryGetValue(key, out var value)
        ? value
        : throw new KeyNotFoundException($"No metric named '{key}' (have {string.Join(", ", values.Keys)}).");

    public IEnumerable<string> Keys => values.Keys;

    public IEnumerable<double> Values => values.Values;

    public int Count => values.Count;

    public bool ContainsKey(string key) => values.ContainsKey(key);

    public bool TryGetValue(string key, out double value) => values.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
