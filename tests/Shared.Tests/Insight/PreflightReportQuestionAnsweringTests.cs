using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Insight;
using BertPlatform.Shared.Tasks;
using BertPlatform.Shared.Tests.Tokenization;

namespace BertPlatform.Shared.Tests.Insight;

/// <summary>
/// Extractive QA: a question over a context is [CLS] q [SEP] c [SEP] long; the context is windowed as the runner
/// windows it. At maxSequenceLength 16, docStride 2 and maxQuestionLength 4, a two-piece question leaves 11 context
/// tokens a window, the next window starting 9 tokens on: the 12-piece context below takes 2 windows (tokens 0–10
/// and 9–11), and an answer on tokens 8–11 lies in neither whole.
/// </summary>
public sealed class PreflightReportQuestionAnsweringTests
{
    private const string Long = "hello world the is of and in to play the world hello";
    private static readonly Hyperparameters hp = new() { MaxSequenceLength = 16, BatchSize = 4, Epochs = 1 };
    private static readonly QuestionAnsweringOptions windowing = new() { DocStride = 2, MaxQuestionLength = 4 };
    private static readonly GpuProfile gpu = TestGpu.Profile();

    private static QuestionAnsweringExample Question(string id, string question, string context, string? answer, int start = 0) =>
        new(id, question, context, answer is null ? [] : [new AnswerSpan(answer, start)], answer is null);

    private static readonly QuestionAnsweringExample[] training =
    [
        Question("q1", "the world", Long, "play the world hello", 32),   // 2 windows, the answer in neither whole
        Question("q2", "hello world", Long, "hello", 0),                 // 2 windows, the answer in the first
        Question("q3", "is the", "the world", "world", 4),               // 1 window
        Question("q4", "of Ω", Long, null),                              // unanswerable, 2 windows, one [UNK]
        Question("q5", "the is of and in to", "hello world", "world", 6), // question cut from 6 to 4 pieces: 2 lost
        Question("q6", "is  the!", "the world", "world", 4),             // near duplicate of q3
    ];

    private static readonly QuestionAnsweringExample[] validation =
    [
        Question("v1", "is the", "the world", "world", 4),               // leaked exactly
        Question("v2", "play", "hello world", "hello", 0),
    ];

    private static IEnumerable<IReadOnlyList<PreflightExample>> Mapped(IEnumerable<QuestionAnsweringExample> rows) =>
        rows.Select(row => TaskCatalog.QuestionAnswering.PreflightExamplesOf(row, null));

    private static PreflightReport Report() => PreflightAnalyzer.Analyze(
        new PreflightInput("tiny", "ds-train", Mapped(training), "ds-val", Mapped(validation)), Tokenizers.TinyCased,
        new PreflightSettings(TaskType.QuestionAnswering, hp, QuestionAnswering: windowing), gpu);

    [Fact]
    public void Windows_per_question_and_answers_outside_every_window_follow_the_runners_windowing()
    {
        var profile = Report().Training;
        Assert.Equal(new WindowFigures
        {
            DocStride = 2, MaxQuestionLength = 4, Windows = 9, WindowsPerQuestion = 1.5, MaxWindows = 2, MultiWindow = 3, MultiWindowShare = 0.5,
            QuestionsCut = 1, Answerable = 5, AnswersOutsideWindows = 1, AnswersOutsideShare = 0.2, Unwindowable = 0,
        }, profile.Windows);
        // "Truncated" for QA: the questions whose context needs several windows; lost: the question pieces cut.
        Assert.Equal((3, 0.5, 2L), (profile.Truncated, profile.TruncatedShare, profile.TokensLost));
    }

    [Fact]
    public void Lengths_unknown_tokens_labels_duplicates_and_leakage_are_exact()
    {
        var report = Report();
        var profile = report.Training;
        // question + context + 3: 17, 17, 7, 17, 11, 8.
        Assert.Equal(new TokenPercentiles(P50: 11, P90: 17, P95: 17, P99: 17, Max: 17, Mean: 12.83), profile.TokensPerExample);
        Assert.Equal((59L, 1L), (profile.TextTokens, profile.UnknownTokens));
        Assert.Equal(new Dictionary<string, int> { [QuestionAnsweringData.HasAnswer] = 5, [QuestionAnsweringData.NoAnswer] = 1 }, profile.Labels);
        Assert.Equal(5.0, profile.ImbalanceRatio);
        Assert.Equal(new DuplicateFigures(Exact: 0, ExactShare: 0, Near: 1, NearShare: 0.1667), report.Duplicates);
        Assert.Equal(new LeakageFigures(Exact: 1, ExactShare: 0.5, Near: 1, NearShare: 0.5), report.Leakage);
        Assert.Equal(new WindowFigures
        {
            DocStride = 2, MaxQuestionLength = 4, Windows = 2, WindowsPerQuestion = 1, MaxWindows = 1, MultiWindow = 0, MultiWindowShare = 0,
            QuestionsCut = 0, Answerable = 2, AnswersOutsideWindows = 0, AnswersOutsideShare = 0, Unwindowable = 0,
        }, report.Validation!.Windows);
    }

    [Fact]
    public void Warnings_name_windows_lost_answers_and_cut_questions()
    {
        var warnings = Report().Warnings;
        Assert.Contains("50% of training questions (3 of 6) need more than one window at 16 tokens (docStride 2): 9 windows in all, up to 2 for one question; each window is a training sample.", warnings);
        Assert.Contains("20% of training answers (1 of 5) lie in no window whole at maxSequenceLength 16 and docStride 2: those questions train as unanswerable; raise docStride or maxSequenceLength.", warnings);
        Assert.Contains("1 training questions are longer than maxQuestionLength 4 and are cut, losing 2 tokens.", warnings);
        Assert.Contains(warnings, w => w.StartsWith("answerable and unanswerable questions are imbalanced: 'has_answer' 5 training questions, 'no_answer' 1 (5×)", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.Contains("truncated at", StringComparison.Ordinal));
    }

    [Fact]
    public void Steps_count_windows_not_questions()
    {
        var estimate = Report().Estimate;
        // 9 windows in batches of 4: 3 steps.
        Assert.Equal((6, 9L, 3, 3), (estimate.TrainingExamples, estimate.TrainingSamples, estimate.StepsPerEpoch, estimate.Steps));
    }

    [Fact]
    public void A_stride_the_runner_cannot_use_is_reported_not_guessed()
    {
        var report = PreflightAnalyzer.Analyze(new PreflightInput("tiny", "ds", Mapped(training[..1])), Tokenizers.TinyCased,
            new PreflightSettings(TaskType.QuestionAnswering, hp, QuestionAnswering: windowing with { DocStride = 11 }), gpu);
        Assert.Equal(1, report.Training.Windows!.Unwindowable);
        Assert.Contains(report.Warnings, w => w.StartsWith("1 training questions cannot be windowed at these settings and would fail the job: The stride must be in [0, 11)", StringComparison.Ordinal));
    }
}
