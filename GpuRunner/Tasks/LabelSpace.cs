namespace BertPlatform.GpuRunner.Tasks;

/// <summary>
/// The label names of a classification dataset and their ids. Numeric labels keep their numeric order
/// (so "0","1","2" get ids 0,1,2), names are ordered ordinally, so the mapping is the same on every run.
/// </summary>
public sealed class LabelSpace
{
    private readonly Dictionary<string, int> ids;

    public LabelSpace(IEnumerable<string> labels)
    {
        var distinct = labels.Distinct(StringComparer.Ordinal).ToList();
        Names = distinct.All(l => long.TryParse(l, out _))
            ? distinct.OrderBy(long.Parse).ToArray()
            : distinct.OrderBy(l => l, StringComparer.Ordinal).ToArray();
        ids = Names.Select((name, id) => (name, id)).ToDictionary(p => p.name, p => p.id, StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    public int IdOf(string label, string where) =>
        ids.TryGetValue(label, out var id)
            ? id
            : throw new InvalidDataException($"{where}: label '{label}' does not occur in the training data (labels: {string.Join(", ", Names)}).");

    /// <summary>config.json's id2label: string keys, as transformers writes them.</summary>
    public Dictionary<string, string> ToId2Label() => Names.Select((n, i) => (n, i)).ToDictionary(p => p.i.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.n);

    public Dictionary<string, int> ToLabel2Id() => new(ids, StringComparer.Ordinal);
}
