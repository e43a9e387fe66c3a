using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Insight;
using BertPlatform.Shared.Tasks;
using BertPlatform.Shared.Tests.Tokenization;

namespace BertPlatform.Shared.Tests.Insight;

/// <summary>
/// A generated dataset whose truncation, [UNK] pieces, label imbalance, duplicates and leakage are known by
/// construction (the tiny BERT vocabulary: "the", "world", "hello" … are one piece each, "Ω" is not in it).
/// </summary>
public sealed class PreflightReportTests
{
    private static readonly Hyperparameters hp = new() { MaxSequenceLength = 8, BatchSize = 4, Epochs = 2 };
    private static readonly GpuProfile gpu = TestGpu.Profile();

    private static PreflightSettings Settings(Hyperparameters hyperparameters, ProblemType? problemType = null) =>
        new(TaskType.TextClassification, hyperparameters, problemType);

    private static IEnumerable<IReadOnlyList<PreflightExample>> Mapped(IEnumerable<TextClassificationExample> examples) =>
        examples.Select(e => TaskCatalog.TextClassification.PreflightExamplesOf(e, null));

    private static TextClassificationExample Row(int row, string text, string label, string language = "en") => new(row, text, null, [label], language);

    // Lengths with [CLS] and [SEP]: 4, 4, 6, 4, 5, 12, 13, 11, 4, 4; three exceed 8 tokens by 4, 5 and 3.
    private static readonly TextClassificationExample[] training =
    [
        Row(1, "the world", "pos"),
        Row(2, "the world", "pos"),                              // exact duplicate of row 1
        Row(3, "The, world!", "pos"),                            // near duplicate of row 1
        Row(4, "hello Ω", "pos"),                                // one [UNK]
        Row(5, "play Ω Ω", "pos"),                               // two [UNK]
        Row(6, "the is of and in to hello world play the", "pos"),
        Row(7, "the the the the the the the the the the the", "pos"),
        Row(8, "of of of of of of of of of", "neg"),
        Row(9, "hello world", "neg"),
        Row(10, "is of", "pos"),
    ];

    private static readonly TextClassificationExample[] validation =
    [
        Row(1, "the world", "pos"),                              // leaked exactly
        Row(2, "The world.", "neg"),                             // leaked after normalising
        Row(3, "hello the", "pos"),
        Row(4, "world play", "pos", "de"),
        Row(5, "of in to", "neg", "de"),
    ];

    private static PreflightReport Report() => PreflightAnalyzer.Analyze(
        new PreflightInput("tiny", "ds-train", Mapped(training), "ds-val", Mapped(validation)), Tokenizers.TinyCased, Settings(hp, ProblemType.SingleLabelClassification), gpu);

    [Fact]
    public void Lengths_truncation_and_unknown_tokens_are_counted_with_the_base_models_tokenizer()
    {
        var profile = Report().Training;
        Assert.Equal(10, profile.Examples);
        Assert.Equal(new TokenPercentiles(P50: 4, P90: 12, P95: 13, P99: 13, Max: 13, Mean: 6.7), profile.TokensPerExample);
        Assert.Equal(3, profile.Truncated);
        Assert.Equal(0.3, profile.TruncatedShare);
        Assert.Equal(12, profile.TokensLost);
        Assert.Equal(47, profile.TextTokens);
        Assert.Equal(3, profile.UnknownTokens);
        Assert.Equal(3.0 / 47, profile.UnknownRate);
        Assert.Equal(new LengthAdvice(13, 13, 512), Report().LengthAdvice);
    }

    [Fact]
    public void Label_balance_duplicates_leakage_and_languages_are_exact()
    {
        var report = Report();
        Assert.Equal(new Dictionary<string, int> { ["pos"] = 8, ["neg"] = 2 }, report.Training.Labels);
        Assert.Equal(4.0, report.Training.ImbalanceRatio);
        Assert.Equal(new DuplicateFigures(Exact: 1, ExactShare: 0.1, Near: 2, NearShare: 0.2), report.Duplicates);
        Assert.Equal(new LeakageFigures(Exact: 1, ExactShare: 0.2, Near: 2, NearShare: 0.4), report.Leakage);
        Assert.Equal(new Dictionary<string, int> { ["en"] = 10 }, report.Training.Languages);
        Assert.Equal(new Dictionary<string, int> { ["en"] = 3, ["de"] = 2 }, report.Validation!.Languages);
        Assert.Equal("column", report.Validation.LanguageSource);
    }

    [Fact]
    public void Steps_and_duration_follow_the_trainer_and_the_gpu_profile()
    {
        var estimate = Report().Estimate;
        // 10 examples in batches of 4: 3 steps an epoch, 2 epochs; evaluations before training and after each epoch.
        Assert.Equal((10, 3, 6, 3), (estimate.TrainingExamples, estimate.StepsPerEpoch, estimate.Steps, estimate.Evaluations));
        // Mean kept length 5.5 tokens: a sample costs 5.5/128/0.5 s; validation (mean 4.4) a third of that per sample.
        Assert.Equal(4 * 5.5 / 128 / 0.5, estimate.SecondsPerStep, 4);
        var seconds = 20 * 5.5 / 128 / 0.5 + 3 * 5 * 4.4 / 128 / 0.5 / 3;
        Assert.Equal(Math.Round(seconds, 1), estimate.Seconds);
        Assert.Equal(Math.Round(seconds / 3600 * 36, 4), estimate.Cost);
        Assert.Contains("test", estimate.Assumption);
    }

    [Fact]
    public void Warnings_carry_the_numbers()
    {
        Assert.Equal(
        [
            "30% of training examples (3 of 10) are truncated at 8 tokens, losing 12 tokens; maxSequenceLength 13 keeps 95% whole, 13 keeps 99%.",
            "6.4% of training tokens are [UNK] (3 of 47): the base model's vocabulary does not cover this text (script, casing or accents).",
            "labels are imbalanced: 'pos' has 8 training examples, 'neg' 2 (4×); accuracy hides the small classes, consider metricForBestModel f1_macro.",
            "20% of training rows (2 of 10) repeat an earlier row (1 exactly, 1 more after normalizing case, whitespace and punctuation); they take about USD 0.0041 of the estimated USD 0.0206.",
            "40% of validation rows (2 of 5) also appear in training (1 exactly, 1 more after normalizing case, whitespace and punctuation): the validation score overstates the model.",
            "validation languages absent from training: de; their scores measure zero-shot transfer.",
        ], Report().Warnings);
    }

    [Fact]
    public void A_cost_below_a_hundredth_of_a_cent_keeps_two_significant_digits()
    {
        var fast = TestGpu.Profile(trainingSamplesPerSecond: 50);
        var report = PreflightAnalyzer.Analyze(new PreflightInput("tiny", "ds-train", Mapped(training), "ds-val", Mapped(validation)),
            Tokenizers.TinyCased, Settings(hp, ProblemType.SingleLabelClassification), fast);
        // A hundred times the throughput of Warnings_carry_the_numbers: USD 0.0002 in all, a fifth of it for duplicates.
        Assert.Contains(report.Warnings, w => w.EndsWith("; they take about USD 0.00004 of the estimated USD 0.0002.", StringComparison.Ordinal));
    }

    [Theory]
    // 10 examples in batches of 4: 3 steps an epoch. Evaluations: before training, at epoch ends, every evalSteps
    // steps that is not an epoch's end, and a last step maxSteps leaves mid-epoch.
    [InlineData(null, 2, 6, 5)]   // steps 2, 3 (end), 4, 6 (end)
    [InlineData(5, 2, 5, 5)]      // steps 2, 3 (end), 4, 5 (last)
    [InlineData(7, null, 7, 4)]   // steps 3, 6 (ends), 7 (last)
    public void Max_steps_and_eval_steps_count_as_the_trainer_counts_them(int? maxSteps, int? evalSteps, int steps, int evaluations)
    {
        var report = PreflightAnalyzer.Analyze(new PreflightInput("tiny", "ds-train", Mapped(training), "ds-val", Mapped(validation)), Tokenizers.TinyCased,
            Settings(hp with { MaxSteps = maxSteps, EvalSteps = evalSteps }), gpu);
        Assert.Equal((steps, evaluations), (report.Estimate.Steps, report.Estimate.Evaluations));
        // Trained samples: steps of 4 under maxSteps, else every example each epoch; mean kept length 5.5 tokens.
        var trained = maxSteps is { } max ? max * 4 : 20;
        Assert.Equal(Math.Round(trained * 5.5 / 128 / 0.5 + evaluations * 5 * 4.4 / 128 / 0.5 / 3, 1), report.Estimate.Seconds);
    }

    [Fact]
    public void Each_named_validation_set_gets_its_profile_leakage_and_warnings_and_all_count_in_the_estimate()
    {
        var sets = new[] { new PreflightValidationSet("mixed", "ds-val", Mapped(validation)), new PreflightValidationSet("clean", "ds-clean", Mapped(validation[2..3])) };
        var report = PreflightAnalyzer.Analyze(new PreflightInput("tiny", "ds-train", Mapped(training), ValidationSets: sets), Tokenizers.TinyCased, Settings(hp), gpu);

        Assert.Null(report.Validation);
        Assert.Equal(["mixed", "clean"], report.ValidationSets!.Select(s => s.Name));
        Assert.Equal(new LeakageFigures(1, 0.2, 2, 0.4), report.ValidationSets![0].Leakage);
        Assert.Equal(new LeakageFigures(0, 0, 0, 0), report.ValidationSets![1].Leakage);
        Assert.Contains("40% of validation set 'mixed' rows (2 of 5) also appear in training", string.Join("\n", report.Warnings));
        Assert.Contains("validation set 'mixed' languages absent from training: de", string.Join("\n", report.Warnings));
        Assert.DoesNotContain(report.Warnings, w => w.Contains("'clean'"));
        // Evaluations score both sets: 5 examples of mean 4.4 tokens and 1 of 4 tokens.
        var seconds = 20 * 5.5 / 128 / 0.5 + 3 * (5 * 4.4 + 4) / 128 / 0.5 / 3;
        Assert.Equal(Math.Round(seconds, 1), report.Estimate.Seconds);
    }

    [Fact]
    public void A_clean_dataset_gets_no_warnings_and_a_hold_out_estimate()
    {
        TextClassificationExample[] clean = [Row(1, "the world", "pos"), Row(2, "hello world", "neg"), Row(3, "is of", "pos"), Row(4, "of in", "neg")];
        var report = PreflightAnalyzer.Analyze(new PreflightInput("tiny", "ds", Mapped(clean)), Tokenizers.TinyCased, Settings(hp with { ValidationSplit = 0.25 }), gpu);
        Assert.Empty(report.Warnings);
        Assert.Null(report.Leakage);
        Assert.Equal(3, report.Estimate.TrainingExamples);
    }

    [Fact]
    public void Without_a_language_column_the_language_is_detected()
    {
        TextClassificationExample[] mixed =
        [
            new(1, "The weather is very nice today and we are going to the park.", null, ["a"]),
            new(2, "Das Wetter ist heute sehr schön und wir gehen in den Park.", null, ["a"]),
            new(3, "Il fait très beau aujourd'hui et nous allons au parc.", null, ["b"]),
            new(4, "Hace muy buen tiempo hoy y vamos al parque.", null, ["b"]),
        ];
        var report = PreflightAnalyzer.Analyze(new PreflightInput("mbert", "ds", Mapped(mixed)), Tokenizers.Multilingual, Settings(hp), gpu);
        Assert.Equal(new Dictionary<string, int> { ["de"] = 1, ["en"] = 1, ["es"] = 1, ["fr"] = 1 }, report.Training.Languages);
        Assert.Equal("detected on the first 4 examples", report.Training.LanguageSource);
    }
}
