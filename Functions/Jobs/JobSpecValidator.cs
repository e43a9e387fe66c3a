using System.Text.RegularExpressions;
using BertPlatform.Functions.Http;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Functions.Jobs;

/// <summary>
/// Checks a job spec's own values (ranges, lengths, names) before anything is looked up. Ranges are generous
/// around the BERT paper's grid; they exist to catch typos (a learning rate of 3 instead of 3e-5), not to tune.
/// </summary>
public sealed partial class JobSpecValidator
{
    public const int MaxIdLength = 100;
    public const int MaxNameLength = 200;

    public IReadOnlyList<FieldError> Validate(JobSpec spec)
    {
        if (JobSpecNullFields.Find(spec) is { Count: > 0 } nulls) return nulls;
        var errors = new List<FieldError>();
        void Check(bool ok, string field, string message)
        {
            if (!ok) errors.Add(new FieldError(field, message));
        }

        Check(Enum.IsDefined(spec.Task), "task", $"Unknown task {(int)spec.Task}.");
        CheckName(spec.TrainingDataset, "trainingDataset", MaxIdLength, errors);
        if (spec.ValidationDataset is not null) CheckName(spec.ValidationDataset, "validationDataset", MaxIdLength, errors);
        CheckName(spec.BaseModel, "baseModel", MaxNameLength, errors);
        CheckValidationSets(spec, errors);
        if (spec.BaseModel.Length is > 0 and <= MaxNameLength)
            Check(BaseModelName().IsMatch(spec.BaseModel) && !spec.BaseModel.Split('/').Contains(".."), "baseModel",
                $"'{spec.BaseModel}' is not a base model name (letters, digits, '.', '_', '-', '/') or model:{{id}}.");
        Check(spec.ProblemType is null || spec.Task == TaskType.TextClassification, "problemType",
            "A problem type applies to text_classification only.");

        var columns = spec.Columns;
        foreach (var (field, value) in new[]
                 {
                     ("text", columns.Text), ("textPair", columns.TextPair), ("label", columns.Label), ("language", columns.Language), ("tokens", columns.Tokens),
                     ("tags", columns.Tags), ("question", columns.Question), ("context", columns.Context),
                     ("answers", columns.Answers), ("endings", columns.Endings),
                 })
            CheckName(value, "columns." + field, MaxNameLength, errors);

        var h = spec.Hyperparameters;
        const string p = "hyperparameters.";
        Check(h.Epochs is >= 1 and <= 100, p + "epochs", $"epochs must be 1 to 100; got {h.Epochs}.");
        Check(h.BatchSize is >= 1 and <= 1024, p + "batchSize", $"batchSize must be 1 to 1024; got {h.BatchSize}.");
        Check(h.LearningRate is > 0 and <= 1, p + "learningRate", $"learningRate must be in (0, 1]; got {h.LearningRate} (BERT fine-tunes with 2e-5 to 5e-5).");
        Check(h.MaxSequenceLength is >= 8 and <= 512, p + "maxSequenceLength", $"maxSequenceLength must be 8 to 512 (BERT's position limit); got {h.MaxSequenceLength}.");
        Check(h.WarmupRatio is >= 0 and < 1, p + "warmupRatio", $"warmupRatio must be in [0, 1); got {h.WarmupRatio}.");
        Check(h.WeightDecay is >= 0 and <= 1, p + "weightDecay", $"weightDecay must be in [0, 1]; got {h.WeightDecay}.");
        Check(h.AdamEpsilon is > 0 and <= 1e-2, p + "adamEpsilon", $"adamEpsilon must be in (0, 0.01]; got {h.AdamEpsilon}.");
        Check(h.MaxGradNorm is >= 0 and <= 1e4, p + "maxGradNorm", $"maxGradNorm must be 0 (off) to 10000; got {h.MaxGradNorm}.");
        Check(h.GradientAccumulationSteps is >= 1 and <= 1024, p + "gradientAccumulationSteps", $"gradientAccumulationSteps must be 1 to 1024; got {h.GradientAccumulationSteps}.");
        Check(h.MaxSteps is null or >= 1, p + "maxSteps", $"maxSteps must be at least 1 when given; got {h.MaxSteps}.");
        Check(h.EvalSteps is null or >= 1, p + "evalSteps", $"evalSteps must be at least 1 when given; got {h.EvalSteps}.");
        Check(h.EarlyStoppingPatience is null or >= 1, p + "earlyStoppingPatience", $"earlyStoppingPatience must be at least 1 when given; got {h.EarlyStoppingPatience}.");
        Check(h.MetricForBestModel is null || h.MetricForBestModel.Length is > 0 and <= MaxIdLength, p + "metricForBestModel",
            $"metricForBestModel must have 1 to {MaxIdLength} characters.");
        Check(h.ValidationSplit is > 0 and <= 0.5, p + "validationSplit", $"validationSplit must be in (0, 0.5]; got {h.ValidationSplit}.");

        var qa = spec.QuestionAnswering;
        const string q = "questionAnswering.";
        Check(qa.DocStride is null or (>= 1 and <= 512), q + "docStride", $"docStride must be 1 to 512 tokens; got {qa.DocStride}.");
        Check(qa.MaxQuestionLength is >= 1 and <= 512, q + "maxQuestionLength", $"maxQuestionLength must be 1 to 512 tokens; got {qa.MaxQuestionLength}.");
        Check(qa.NBestSize is >= 1 and <= 1000, q + "nBestSize", $"nBestSize must be 1 to 1000; got {qa.NBestSize}.");
        Check(qa.MaxAnswerLength is >= 1 and <= 512, q + "maxAnswerLength", $"maxAnswerLength must be 1 to 512 tokens; got {qa.MaxAnswerLength}.");
        Check(double.IsFinite(qa.NullScoreDiffThreshold), q + "nullScoreDiffThreshold", $"nullScoreDiffThreshold must be a finite number; got {qa.NullScoreDiffThreshold}.");
        if (spec.Task == TaskType.QuestionAnswering && h.MaxSequenceLength is >= 8 and <= 512)
        {
            // Question, context window and [CLS]/[SEP]×2 share one sequence: the question may not fill it.
            Check(qa.MaxQuestionLength <= h.MaxSequenceLength - 4, q + "maxQuestionLength",
                $"maxQuestionLength ({qa.MaxQuestionLength}) must leave room for the context in maxSequenceLength ({h.MaxSequenceLength}).");
            // A long question leaves a window of maxSequenceLength - maxQuestionLength - 3 context tokens, and each
            // window must advance past the docStride tokens it shares with the previous one, or the runner refuses
            // every question of the job.
            var window = h.MaxSequenceLength - qa.MaxQuestionLength - 3;
            if (window >= 1 && qa.DocStride is { } stride)
                Check(stride < window, q + "docStride",
                    $"docStride ({qa.DocStride}) must be smaller than the context window, maxSequenceLength ({h.MaxSequenceLength}) - maxQuestionLength ({qa.MaxQuestionLength}) - 3 = {window} tokens, so each window advances; lower docStride or raise maxSequenceLength (Hugging Face's run_qa uses 384 with docStride 128).");
        }

        var pt = spec.Pretraining;
        const string r = "pretraining.";
        Check(ModelSizes.Contains(pt.ModelSize, StringComparer.OrdinalIgnoreCase), r + "modelSize", $"modelSize must be one of {string.Join(", ", ModelSizes)}; got '{pt.ModelSize}'.");
        Check(pt.VocabularySize is >= MinVocabularySize and <= MaxVocabularySize, r + "vocabularySize",
            $"vocabularySize must be {MinVocabularySize} to {MaxVocabularySize}; got {pt.VocabularySize}.");
        Check(pt.HeldOutDocuments is > 0 and <= 0.5, r + "heldOutDocuments", $"heldOutDocuments must be in (0, 0.5]; got {pt.HeldOutDocuments}.");
        Check(pt.HeldOutMaskedPredictions is >= 1 and <= 1_000_000, r + "heldOutMaskedPredictions",
            $"heldOutMaskedPredictions must be 1 to 1,000,000; got {pt.HeldOutMaskedPredictions}.");
        Check(pt.HeldOutNextSentencePairs is >= 1 and <= 100_000, r + "heldOutNextSentencePairs",
            $"heldOutNextSentencePairs must be 1 to 100,000; got {pt.HeldOutNextSentencePairs}.");
        Check(pt.DupeFactor is >= 1 and <= 100, r + "dupeFactor", $"dupeFactor must be 1 to 100; got {pt.DupeFactor}.");
        Check(pt.MaskedLmProbability is > 0 and <= 0.5, r + "maskedLmProbability", $"maskedLmProbability must be in (0, 0.5]; got {pt.MaskedLmProbability}.");
        Check(pt.MaxPredictionsPerSequence is >= 1 and <= 512, r + "maxPredictionsPerSequence",
            $"maxPredictionsPerSequence must be 1 to 512; got {pt.MaxPredictionsPerSequence}.");
        Check(pt.ShortSequenceProbability is >= 0 and <= 1, r + "shortSequenceProbability",
            $"shortSequenceProbability must be in [0, 1]; got {pt.ShortSequenceProbability}.");
        return errors;
    }

    /// <summary>Google's BERT miniature sizes that from-scratch pre-training can build.</summary>
    public static readonly IReadOnlyList<string> ModelSizes = ["tiny", "mini", "small", "medium", "base"];

    /// <summary>Special tokens plus a byte-level alphabet need some room; mBERT has 119,547 tokens.</summary>
    public const int MinVocabularySize = 100;
    public const int MaxVocabularySize = 250_000;

    /// <summary>Most sets one job evaluates: each costs a pass at every evaluation.</summary>
    // 15 is XNLI's count; more would push the job record (spec, report, every set's metrics per language) towards
    // the most one Table Storage entity holds (RecordEntity: 15 properties of 64 KiB).
    public const int MaxValidationSets = 15;

    private static void CheckValidationSets(JobSpec spec, List<FieldError> errors)
    {
        if (spec.ValidationSets is not { } sets)
        {
            if (spec.SelectOn is not null) errors.Add(new FieldError("selectOn", "selectOn names one of validationSets; the job has none."));
            return;
        }
        if (spec.Task == TaskType.Pretraining)
            errors.Add(new FieldError("validationSets",
                "Pre-training evaluates on whole documents it holds out of its corpus (pretraining.heldOutDocuments); validationSets apply to the fine-tuning tasks."));
        if (spec.ValidationDataset is not null)
            errors.Add(new FieldError("validationDataset", "Give either validationDataset or validationSets, not both."));
        if (sets.Count is < 1 or > MaxValidationSets)
            errors.Add(new FieldError("validationSets", $"validationSets must hold 1 to {MaxValidationSets} sets; got {sets.Count}."));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sets.Count; i++)
        {
            var field = $"validationSets[{i}]";
            if (sets[i] is not { } set)
            {
                errors.Add(new FieldError(field, $"{field} is null; give {{\"name\", \"dataset\"}}."));
                continue;
            }
            if (set.Name is null || !ValidationSetName().IsMatch(set.Name) || set.Name == "lang")
                errors.Add(new FieldError(field + ".name", $"'{set.Name}' is not a set name: 1 to 40 letters, digits, '.', '_' or '-', starting with a letter or digit, and not 'lang' (the per-language metrics' prefix)."));
            else if (!names.Add(set.Name))
                errors.Add(new FieldError(field + ".name", $"The name '{set.Name}' is used by an earlier set; each set needs its own."));
            CheckName(set.Dataset, field + ".dataset", MaxIdLength, errors);
        }
        if (spec.SelectOn is { } selectOn && !names.Contains(selectOn))
            errors.Add(new FieldError("selectOn", $"selectOn '{selectOn}' is not the name of one of validationSets ({string.Join(", ", names)})."));
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._\-]{0,39}$")]
    private static partial Regex ValidationSetName();

    private static void CheckName(string? value, string field, int maxLength, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) errors.Add(new FieldError(field, $"{field} is required."));
        else if (value.Length > maxLength) errors.Add(new FieldError(field, $"{field} has {value.Length} characters; at most {maxLength} are allowed."));
        else if (value.Any(char.IsControl)) errors.Add(new FieldError(field, $"{field} contains control characters."));
    }

    [GeneratedRegex(@"^(model:[A-Za-z0-9-]+|[A-Za-z0-9][A-Za-z0-9._\-/]*)$")]
    private static partial Regex BaseModelName();
}
