using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Insight;
using BertPlatform.Shared.Tasks;
using BertPlatform.Shared.Tests.Tokenization;

namespace BertPlatform.Shared.Tests.Insight;

/// <summary>
/// Multiple choice: each ending is encoded as the runner encodes it, (context, question + " " + ending), and the
/// example is as long as its longest pair + 3; every truncated pair loses its own tokens; [UNK] and text tokens count
/// what the model reads, so a context counts once per ending.
/// </summary>
public sealed class PreflightReportMultipleChoiceTests
{
    private static readonly Hyperparameters hp = new() { MaxSequenceLength = 8, BatchSize = 2, Epochs = 1 };
    private static readonly GpuProfile gpu = TestGpu.Profile();

    private static MultipleChoiceExample Row(int row, string context, string? question, string[] endings, int label) => new(row, context, question, endings, label);

    private static readonly MultipleChoiceExample[] training =
    [
        Row(1, "the world", null, ["hello", "play"], 0),                  // pairs of 6 and 6 tokens
        Row(2, "the world", "is", ["hello world the is", "play"], 0),    // 10 (2 over 8) and 7
        Row(3, "hello Ω", null, ["of", "in"], 1),                        // 6 and 6, one [UNK] in each pair
        Row(4, "the world", null, ["hello", "play"], 0),                  // exact duplicate of row 1
        Row(5, "The world", null, ["hello!", "play"], 0),                 // near duplicate of row 1; 7 and 6
    ];

    private static IEnumerable<IReadOnlyList<PreflightExample>> Mapped(IEnumerable<MultipleChoiceExample> rows) =>
        rows.Select(row => TaskCatalog.MultipleChoice.PreflightExamplesOf(row, null));

    private static PreflightReport Report() => PreflightAnalyzer.Analyze(
        new PreflightInput("tiny", "ds-train", Mapped(training), "ds-val", Mapped(training[..1])), Tokenizers.TinyCased,
        new PreflightSettings(TaskType.MultipleChoice, hp), gpu);

    [Fact]
    public void The_longest_pair_sets_the_length_and_each_truncated_pair_loses_its_tokens()
    {
        var profile = Report().Training;
        Assert.Equal(new TokenPercentiles(P50: 6, P90: 10, P95: 10, P99: 10, Max: 10, Mean: 7), profile.TokensPerExample);
        Assert.Equal((1, 0.2, 2L), (profile.Truncated, profile.TruncatedShare, profile.TokensLost));
        Assert.Equal((36L, 2L), (profile.TextTokens, profile.UnknownTokens));
    }

    [Fact]
    public void Answer_balance_duplicates_and_leakage_are_exact()
    {
        var report = Report();
        Assert.Equal(new Dictionary<string, int> { ["0"] = 4, ["1"] = 1 }, report.Training.Labels);
        Assert.Equal(4.0, report.Training.ImbalanceRatio);
        Assert.Equal(new DuplicateFigures(Exact: 1, ExactShare: 0.2, Near: 2, NearShare: 0.4), report.Duplicates);
        Assert.Equal(new LeakageFigures(Exact: 1, ExactShare: 1, Near: 1, NearShare: 1), report.Leakage);
        Assert.Contains("the right ending is imbalanced: ending 0 in 4 training examples, ending 1 in 1 (4×); a model can score by position alone.", report.Warnings);
    }

    [Fact]
    public void A_step_pays_for_every_ending_padded_to_the_longest()
    {
        var estimate = Report().Estimate;
        Assert.Equal((5, 5L, 3), (estimate.TrainingExamples, estimate.TrainingSamples, estimate.StepsPerEpoch));
        // Kept tokens per example, two endings padded together: 12, 16, 12, 12, 14 → 13.2 a sample.
        Assert.Equal(2 * 13.2 / 128 / 0.5, estimate.SecondsPerStep, 4);
    }
}
