using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Insight;
using BertPlatform.Shared.Tasks;
using BertPlatform.Shared.Tests.Tokenization;

namespace BertPlatform.Shared.Tests.Insight;

/// <summary>
/// Pre-training: each sentence is an example measured against a sentence pair's budget (maxSequenceLength − 3
/// pieces), because the runner packs whole sentences into pairs and cuts only a sentence that cannot fit one; no
/// labels; documents are counted beside the sentences.
/// </summary>
public sealed class PreflightReportPretrainingTests
{
    private static readonly Hyperparameters hp = new() { MaxSequenceLength = 8, BatchSize = 2, Epochs = 1 };
    private static readonly PretrainingOptions pretraining = new() { DupeFactor = 2, HeldOutDocuments = 0.5 };
    private static readonly GpuProfile gpu = TestGpu.Profile();

    private static readonly CorpusDocument[] corpus =
    [
        new(["the world", "hello world the is of and in"]),   // 5 and 10 tokens with a pair's 3 specials: the second loses 2
        new(["the world", "play Ω"]),                         // an exact duplicate sentence; one [UNK]
    ];

    private static PreflightReport Report() => PreflightAnalyzer.Analyze(
        new PreflightInput("tiny", "corpus", corpus.Select(d => TaskCatalog.Pretraining.PreflightExamplesOf(d, null))), Tokenizers.TinyCased,
        new PreflightSettings(TaskType.Pretraining, hp, Pretraining: pretraining), gpu);

    [Fact]
    public void Sentences_are_measured_against_a_pairs_budget_and_documents_are_counted()
    {
        var report = Report();
        var profile = report.Training;
        Assert.Equal((2, 4), (profile.Documents, profile.Examples));
        Assert.Equal(new TokenPercentiles(P50: 5, P90: 10, P95: 10, P99: 10, Max: 10, Mean: 6.25), profile.TokensPerExample);
        Assert.Equal((1, 0.25, 2L), (profile.Truncated, profile.TruncatedShare, profile.TokensLost));
        Assert.Equal((13L, 1L), (profile.TextTokens, profile.UnknownTokens));
        Assert.Empty(profile.Labels);
        Assert.Null(profile.ImbalanceRatio);
        Assert.Equal(new DuplicateFigures(Exact: 1, ExactShare: 0.25, Near: 1, NearShare: 0.25), report.Duplicates);
        Assert.Null(report.Leakage);
        Assert.DoesNotContain(report.Warnings, w => w.Contains("imbalanced", StringComparison.Ordinal));
    }

    [Fact]
    public void Instances_are_estimated_from_packed_pieces_times_the_dupe_factor()
    {
        var estimate = Report().Estimate;
        // Pieces per document 9 and 4 in pairs of at most 5: 2 + 1 instances; half the documents held out
        // leaves round(1.5) = 2, times dupeFactor 2 = 4 instances, 2 steps of 2.
        Assert.Equal((1, 4L, 2), (estimate.TrainingExamples, estimate.TrainingSamples, estimate.StepsPerEpoch));
    }
}
