using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Insight;
using BertPlatform.Shared.Tasks;
using BertPlatform.Shared.Tests.Tokenization;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Shared.Tests.Insight;

/// <summary>
/// Token classification: words become word pieces as the runner encodes them (length = pieces + 2), labels are the
/// tag counts, entity types come from B- tags, duplicates are keyed on the joined words. The tiny BERT vocabulary
/// holds "the", "world", "hello" … as one piece each and not "Ω".
/// </summary>
public sealed class PreflightReportTokenClassificationTests
{
    private static readonly Hyperparameters hp = new() { MaxSequenceLength = 8, BatchSize = 4, Epochs = 2 };
    private static readonly GpuProfile gpu = TestGpu.Profile();

    private static TokenClassificationExample Row(int row, string words, string tags) => new(row, words.Split(' '), tags.Split(' '));

    // Lengths with [CLS] and [SEP]: 4, 4, 4, 4, 9, 4; row 5 exceeds 8 tokens by 1.
    private static readonly TokenClassificationExample[] training =
    [
        Row(1, "the world", "O O"),
        Row(2, "the world", "O O"),                                         // exact duplicate of row 1
        Row(3, "The world", "O O"),                                         // near duplicate of row 1
        Row(4, "hello Ω", "B-PER O"),                                       // one [UNK]
        Row(5, "hello world the is of and in", "B-PER I-PER O O O B-LOC O"),
        Row(6, "hello world", "B-PER O"),
    ];

    private static readonly TokenClassificationExample[] validation =
    [
        Row(1, "the world", "O O"),                                         // leaked exactly
        Row(2, "Hello world", "B-PER O"),                                   // leaked after normalising (row 6)
        Row(3, "play in", "O O"),
    ];

    private static IEnumerable<IReadOnlyList<PreflightExample>> Mapped(IEnumerable<TokenClassificationExample> rows) =>
        rows.Select(row => TaskCatalog.TokenClassification.PreflightExamplesOf(row, null));

    private static PreflightReport Report() => PreflightAnalyzer.Analyze(
        new PreflightInput("tiny", "ds-train", Mapped(training), "ds-val", Mapped(validation)), Tokenizers.TinyCased,
        new PreflightSettings(TaskType.TokenClassification, hp), gpu);

    [Fact]
    public void Word_pieces_truncation_and_unknown_tokens_are_counted_as_the_runner_encodes_words()
    {
        var report = Report();
        var profile = report.Training;
        Assert.Equal(TaskType.TokenClassification, report.Task);
        Assert.Equal(6, profile.Examples);
        Assert.Equal(new TokenPercentiles(P50: 4, P90: 9, P95: 9, P99: 9, Max: 9, Mean: 4.83), profile.TokensPerExample);
        Assert.Equal((1, 0.1667, 1L), (profile.Truncated, profile.TruncatedShare, profile.TokensLost));
        Assert.Equal((17L, 1L), (profile.TextTokens, profile.UnknownTokens));
        Assert.Equal(new LengthAdvice(9, 9, 512), report.LengthAdvice);
        // The runner encodes the words one by one: the same 9 positions as the report's length of row 5.
        Assert.Equal(9, Tokenizers.TinyCased.EncodeWords(training[4].Tokens, new EncodeOptions { MaxLength = 512 }).Length);
        Assert.Null(profile.Windows);
    }

    [Fact]
    public void Tags_entity_types_duplicates_and_leakage_are_exact()
    {
        var report = Report();
        Assert.Equal(new Dictionary<string, int> { ["O"] = 12, ["B-PER"] = 3, ["B-LOC"] = 1, ["I-PER"] = 1 }, report.Training.Labels);
        Assert.Equal(new Dictionary<string, int> { ["PER"] = 3, ["LOC"] = 1 }, report.Training.Entities);
        Assert.Equal(3.0, report.Training.ImbalanceRatio);
        Assert.Equal(new DuplicateFigures(Exact: 1, ExactShare: 0.1667, Near: 2, NearShare: 0.3333), report.Duplicates);
        Assert.Equal(new LeakageFigures(Exact: 1, ExactShare: 0.3333, Near: 2, NearShare: 0.6667), report.Leakage);
        Assert.Equal("detected on the first 6 examples", report.Training.LanguageSource);
    }

    [Fact]
    public void Warnings_speak_of_entity_types_and_carry_the_numbers()
    {
        var warnings = Report().Warnings;
        Assert.Contains("16.7% of training examples (1 of 6) are truncated at 8 tokens, losing 1 tokens; maxSequenceLength 9 keeps 95% whole, 9 keeps 99%.", warnings);
        Assert.Contains("5.9% of training tokens are [UNK] (1 of 17): the base model's vocabulary does not cover this text (script, casing or accents).", warnings);
        Assert.Contains("entity types are imbalanced: 'PER' has 3 training mentions, 'LOC' 1 (3×); the overall F1 hides the rare types, read the per-type scores.", warnings);
        Assert.Contains(warnings, w => w.StartsWith("66.7% of validation rows (2 of 3) also appear in training (1 exactly, 1 more after normalizing", StringComparison.Ordinal));
    }

    [Fact]
    public void Steps_count_sentences()
    {
        var estimate = Report().Estimate;
        // 6 sentences in batches of 4: 2 steps an epoch, 2 epochs.
        Assert.Equal((6, 6L, 2, 4), (estimate.TrainingExamples, estimate.TrainingSamples, estimate.StepsPerEpoch, estimate.Steps));
        Assert.Equal(36, estimate.PricePerHour);
        Assert.Equal("USD", estimate.Currency);
    }
}
