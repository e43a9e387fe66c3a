using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Shared.Insight;

/// <summary>
/// Walks one dataset's examples through the tokenizer and counts what the report needs: lengths, truncation at
/// maxSequenceLength (longest-first, as training truncates, so the tokens lost are length minus the limit), [UNK]
/// pieces, labels, languages, and the duplicate keys of every row.
/// </summary>
public sealed class DatasetProfiler(BertTextTokenizer tokenizer, int maxSequenceLength)
{
    private readonly List<int> lengths = [];
    private readonly Dictionary<string, int> labels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> languages = new(StringComparer.Ordinal);
    private int truncated;
    private long tokensLost, textTokens, unknownTokens;
    private int detections;
    private bool languageFromColumn = true;

    /// <summary>Exact and near keys of every row, in order, for duplicate and leakage counts.</summary>
    public List<(string Exact, string Near)> Keys { get; } = [];

    public bool Sampled { get; private set; }

    public int Count => lengths.Count;

    /// <summary>Adds the dataset's examples up to <see cref="PreflightLimits.MaxExamples"/>.</summary>
    public DatasetProfiler AddAll(IEnumerable<TextClassificationExample> examples)
    {
        foreach (var example in examples)
        {
            if (Count == PreflightLimits.MaxExamples)
            {
                Sampled = true;
                break;
            }
            Add(example);
        }
        return this;
    }

    public void Add(TextClassificationExample example)
    {
        var pieces = tokenizer.Tokenize(example.Text);
        var pairPieces = example.TextPair is null ? [] : tokenizer.Tokenize(example.TextPair);
        var specials = example.TextPair is null ? 2 : 3;
        var length = pieces.Count + pairPieces.Count + specials;
        lengths.Add(length);
        if (length > maxSequenceLength)
        {
            truncated++;
            tokensLost += length - maxSequenceLength;
        }
        textTokens += pieces.Count + pairPieces.Count;
        unknownTokens += pieces.Count(p => p.Id == tokenizer.UnkTokenId) + pairPieces.Count(p => p.Id == tokenizer.UnkTokenId);
        foreach (var label in example.Labels) labels[label] = labels.GetValueOrDefault(label) + 1;
        CountLanguage(example);
        Keys.Add((DuplicateKeys.Exact(example.Text, example.TextPair), DuplicateKeys.Near(example.Text, example.TextPair)));
    }

    private void CountLanguage(TextClassificationExample example)
    {
        // One language column decides for the whole dataset: rows without a tag count as "unknown" rather than being
        // mixed with detections.
        string? language = example.Language;
        if (language is null && Count == 1) languageFromColumn = false;
        if (!languageFromColumn)
        {
            if (detections == PreflightLimits.MaxLanguageDetections) return;
            detections++;
            language = LanguageIdentifier.Identify(example.TextPair is null ? example.Text : example.Text + " " + example.TextPair);
        }
        language ??= LanguageIdentifier.Unknown;
        languages[language] = languages.GetValueOrDefault(language) + 1;
    }

    public DatasetProfile Profile(string datasetId, bool regression) => new()
    {
        DatasetId = datasetId,
        Examples = Count,
        Sampled = Sampled,
        TokensPerExample = Percentiles(lengths),
        Truncated = truncated,
        TruncatedShare = Share(truncated, Count),
        TokensLost = tokensLost,
        TextTokens = textTokens,
        UnknownTokens = unknownTokens,
        UnknownRate = textTokens == 0 ? 0 : (double)unknownTokens / textTokens,
        Labels = regression ? new Dictionary<string, int>() : Sorted(labels),
        ImbalanceRatio = regression || labels.Count < 2 ? null : (double)labels.Values.Max() / labels.Values.Min(),
        Languages = Sorted(languages),
        LanguageSource = languageFromColumn ? "column" : $"detected on the first {detections} examples",
    };

    /// <summary>The length that keeps <paramref name="percent"/>% of the examples whole (nearest rank).</summary>
    public int LengthKeeping(double percent) => NearestRank(lengths.Order().ToArray(), percent);

    public double MeanLengthAfterTruncation => lengths.Count == 0 ? 0 : lengths.Average(l => Math.Min(l, maxSequenceLength));

    private static TokenPercentiles Percentiles(List<int> values)
    {
        var sorted = values.Order().ToArray();
        return new(NearestRank(sorted, 50), NearestRank(sorted, 90), NearestRank(sorted, 95), NearestRank(sorted, 99),
            sorted.Length == 0 ? 0 : sorted[^1], sorted.Length == 0 ? 0 : Math.Round(sorted.Average(), 2));
    }

    private static int NearestRank(int[] sorted, double percent) =>
        sorted.Length == 0 ? 0 : sorted[Math.Max(0, (int)Math.Ceiling(percent / 100 * sorted.Length) - 1)];

    public static double Share(long part, long whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 4);

    private static Dictionary<string, int> Sorted(Dictionary<string, int> counts) =>
        counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => c.Value);
}
