using System.Collections;

namespace BertPlatform.Shared.Metrics;

/// <summary>
/// The metrics of one evaluation, by name. Which of them ranks checkpoints is the task's to say
/// (<c>ITaskData.PrimaryMetric</c>), not the metric's.
/// </summary>
public sealed class MetricSet(IEnumerable<KeyValuePair<string, double>> values) : IReadOnlyDictionary<string, double>
{
    private readonly Dictionary<string, double> values = new(values, StringComparer.Ordinal);

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
