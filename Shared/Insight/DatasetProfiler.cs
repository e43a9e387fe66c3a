using BertPlatform.Shared.QuestionAnswering;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Shared.Insight;

/// <summary>
/// Walks one dataset's examples (<see cref="PreflightExample"/>, whatever the task) through the tokenizer and counts
/// what the report needs: lengths, truncation at maxSequenceLength (longest-first, as training truncates, so the
/// tokens lost are length minus the limit) or, for QA, the windows a context is split into; [UNK] pieces, labels,
/// languages, the duplicate keys of every example, and the samples the trainer will step over.
/// </summary>
public sealed class DatasetProfiler(BertTextTokenizer tokenizer, PreflightSettings settings)
{
    // Lingua's time grows with the text; the first characters of a long context tell its language as well.
    private const int LanguageTextCharacters = 2_000;

    private readonly int maxLength = settings.Hyperparameters.MaxSequenceLength;
    private readonly List<int> lengths = [];
    private readonly Dictionary<string, int> labels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> entities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> languages = new(StringComparer.Ordinal);
    private readonly QuestionWindows? windows = settings.Task == Contracts.TaskType.QuestionAnswering ? new(tokenizer, settings) : null;
    private int truncated, records, detections;
    private long tokensLost, textTokens, unknownTokens, features, featureTokens, packedInstances, packedTokens;
    private bool languageFromColumn = true;

    /// <summary>Exact and near keys of every example, in order, for duplicate and leakage counts.</summary>
    public List<(string Exact, string Near)> Keys { get; } = [];

    public bool Sampled { get; private set; }

    /// <summary>Examples analysed (sentences for pre-training).</summary>
    public int Count => lengths.Count;

    /// <summary>Records read: documents for pre-training, where each sentence is an example; examples elsewhere.</summary>
    public int Records => records;

    /// <summary>
    /// Adds the dataset's records (each mapped to its examples) until <see cref="PreflightLimits.MaxExamples"/>
    /// examples are in.
    /// </summary>
    public DatasetProfiler AddAll(IEnumerable<IReadOnlyList<PreflightExample>> dataset)
    {
        foreach (var record in dataset)
        {
            if (Count >= PreflightLimits.MaxExamples)
            {
                Sampled = true;
                break;
            }
            records++;
            long recordPieces = 0;
            foreach (var example in record) recordPieces += Add(example);
            // Pre-training packs a document's sentences into pairs of up to maxSequenceLength − 3 pieces.
            var instances = (recordPieces + maxLength - 4) / (maxLength - 3);
            packedInstances += instances;
            packedTokens += recordPieces + 3 * instances;
        }
        return this;
    }

    /// <returns>The example's word pieces.</returns>
    private long Add(PreflightExample example)
    {
        int length = 0, longestKept = 0;
        long pieces = 0, lost = 0;
        foreach (var sequence in example.Sequences)
        {
            var first = tokenizer.Tokenize(sequence.First);
            var second = sequence.Second is null ? [] : tokenizer.Tokenize(sequence.Second);
            var sequencePieces = first.Count + second.Count;
            var sequenceLength = sequencePieces + sequence.SpecialTokens;
            pieces += sequencePieces;
            unknownTokens += first.Count(p => p.Id == tokenizer.UnkTokenId) + second.Count(p => p.Id == tokenizer.UnkTokenId);
            length = Math.Max(length, sequenceLength);
            longestKept = Math.Max(longestKept, Math.Min(sequenceLength, maxLength));
            lost += Math.Max(0, sequenceLength - maxLength);
        }
        lengths.Add(length);
        textTokens += pieces;

        if (example.QuestionContext is { } questionContext && windows is not null)
        {
            var split = windows.Add(questionContext);
            features += split.Windows;
            featureTokens += split.Tokens;
            tokensLost += split.QuestionTokensCut;
            if (split.Windows > 1) truncated++;
        }
        else
        {
            // Choices of one example are padded to the longest together.
            features++;
            featureTokens += example.Sequences.Count * longestKept;
            tokensLost += lost;
            if (lost > 0) truncated++;
        }

        foreach (var label in example.Labels) labels[label] = labels.GetValueOrDefault(label) + 1;
        foreach (var entity in example.Entities) entities[entity] = entities.GetValueOrDefault(entity) + 1;
        CountLanguage(example);
        Keys.Add((DuplicateKeys.Exact(example.Text), DuplicateKeys.Near(example.Text)));
        return pieces;
    }

    private void CountLanguage(PreflightExample example)
    {
        // One language column decides for the whole dataset: rows without a tag count as "unknown" rather than being
        // mixed with detections.
        var language = example.Language;
        if (language is null && Count == 1) languageFromColumn = false;
        if (!languageFromColumn)
        {
            if (detections == PreflightLimits.MaxLanguageDetections) return;
            detections++;
            var text = string.Join(' ', example.Text);
            language = LanguageIdentifier.Identify(text.Length > LanguageTextCharacters ? text[..LanguageTextCharacters] : text);
        }
        language ??= LanguageIdentifier.Unknown;
        languages[language] = languages.GetValueOrDefault(language) + 1;
    }

    public DatasetProfile Profile(string datasetId) => new()
    {
        DatasetId = datasetId,
        Examples = Count,
        Documents = settings.Task == Contracts.TaskType.Pretraining ? records : null,
        Sampled = Sampled,
        TokensPerExample = Percentiles(lengths),
        Truncated = truncated,
        TruncatedShare = Share(truncated, Count),
        TokensLost = tokensLost,
        TextTokens = textTokens,
        UnknownTokens = unknownTokens,
        UnknownRate = textTokens == 0 ? 0 : (double)unknownTokens / textTokens,
        Labels = Sorted(labels),
        Entities = entities.Count == 0 ? null : Sorted(entities),
        // Entity types where the data has them: every tagged sentence is mostly "O", so the tags' own balance says little.
        ImbalanceRatio = Ratio(entities.Count > 0 ? entities : labels),
        Windows = windows?.Figures(Count),
        Languages = Sorted(languages),
        LanguageSource = languageFromColumn ? "column" : $"detected on the first {detections} examples",
    };

    /// <summary>The length that keeps <paramref name="percent"/>% of the examples whole (nearest rank).</summary>
    public int LengthKeeping(double percent) => NearestRank(lengths.Order().ToArray(), percent);

    /// <summary>
    /// Samples the trainer steps over per pass: examples, QA windows, or pre-training instances (a document's pieces
    /// packed into pairs of maxSequenceLength − 3, an estimate: the runner also shortens 10% of them on purpose).
    /// </summary>
    public long Features => settings.Task == Contracts.TaskType.Pretraining ? packedInstances : features;

    /// <summary>Mean tokens of one such sample after truncation (all choices of a multiple-choice example).</summary>
    public double MeanFeatureTokens => settings.Task == Contracts.TaskType.Pretraining
        ? (packedInstances == 0 ? 0 : (double)packedTokens / packedInstances)
        : (features == 0 ? 0 : (double)featureTokens / features);

    private static double? Ratio(Dictionary<string, int> counts) => counts.Count < 2 ? null : (double)counts.Values.Max() / counts.Values.Min();

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
