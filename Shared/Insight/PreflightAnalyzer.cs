using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Shared.Insight;

/// <summary>
/// The datasets a report looks at, already parsed and mapped (<see cref="Tasks.ITaskData.ReadPreflight(Stream, DatasetFormat, ColumnMapping, ProblemType?)"/>),
/// one list of examples per record, with the names they are reported under.
/// </summary>
public sealed record PreflightInput(
    string BaseModel,
    string TrainingDatasetId,
    IEnumerable<IReadOnlyList<PreflightExample>> Training,
    string? ValidationDatasetId = null,
    IEnumerable<IReadOnlyList<PreflightExample>>? Validation = null,
    IReadOnlyList<PreflightValidationSet>? ValidationSets = null);

/// <summary>One of a job's named validation sets, for the report.</summary>
public sealed record PreflightValidationSet(string Name, string DatasetId, IEnumerable<IReadOnlyList<PreflightExample>> Examples);

/// <summary>
/// Builds the pre-flight report of a job of any task: the datasets profiled with the base model's tokenizer at the
/// job's maxSequenceLength, duplicates and leakage, length advice, the step count and its estimated duration and cost.
/// </summary>
public static class PreflightAnalyzer
{
    public static PreflightReport Analyze(PreflightInput input, BertTextTokenizer tokenizer, PreflightSettings settings, GpuProfile gpu)
    {
        DatasetProfiler Profiler() => new(tokenizer, settings);
        var training = Profiler().AddAll(input.Training);
        if (training.Count == 0) throw new InvalidDataException($"The training dataset '{input.TrainingDatasetId}' has no examples.");
        var validation = input.Validation is null ? null : Profiler().AddAll(input.Validation);
        var sets = (input.ValidationSets ?? []).Select(set => (set.Name, set.DatasetId, Profiler: Profiler().AddAll(set.Examples))).ToList();

        var trainingProfile = training.Profile(input.TrainingDatasetId);
        var validationProfile = validation?.Profile(input.ValidationDatasetId!);
        var duplicates = Duplicates(training.Keys);
        var leakage = validation is null ? null : Leakage(training.Keys, validation.Keys);
        var modelMaximum = tokenizer.Settings.ModelMaxLength;
        var advice = new LengthAdvice(Math.Min(training.LengthKeeping(95), modelMaximum), Math.Min(training.LengthKeeping(99), modelMaximum), modelMaximum);
        var evaluated = validation is null ? sets.Select(s => s.Profiler).ToList() : [validation];
        var estimate = TrainingEstimator.Estimate(training, evaluated, settings, gpu);
        var report = new PreflightReport
        {
            Task = settings.Task,
            BaseModel = input.BaseModel,
            MaxSequenceLength = settings.Hyperparameters.MaxSequenceLength,
            Training = trainingProfile,
            Validation = validationProfile,
            Duplicates = duplicates,
            Leakage = leakage,
            ValidationSets = sets.Count == 0 ? null
                : sets.Select(s => new ValidationSetProfile(s.Name, s.Profiler.Profile(s.DatasetId), Leakage(training.Keys, s.Profiler.Keys))).ToList(),
            LengthAdvice = advice,
            Estimate = estimate,
            Warnings = [],
        };
        return report with { Warnings = PreflightWarnings.For(report, training.LengthKeeping(95), training.LengthKeeping(99)) };
    }

    /// <summary>A row counts once it repeats any earlier row; a near duplicate includes the exact ones.</summary>
    private static DuplicateFigures Duplicates(List<(string Exact, string Near)> keys)
    {
        var exact = keys.Count - keys.Select(k => k.Exact).Distinct(StringComparer.Ordinal).Count();
        var near = keys.Count - keys.Select(k => k.Near).Distinct(StringComparer.Ordinal).Count();
        return new(exact, DatasetProfiler.Share(exact, keys.Count), near, DatasetProfiler.Share(near, keys.Count));
    }

    private static LeakageFigures Leakage(List<(string Exact, string Near)> training, List<(string Exact, string Near)> validation)
    {
        var exactKeys = training.Select(k => k.Exact).ToHashSet(StringComparer.Ordinal);
        var nearKeys = training.Select(k => k.Near).ToHashSet(StringComparer.Ordinal);
        var exact = validation.Count(k => exactKeys.Contains(k.Exact));
        var near = validation.Count(k => nearKeys.Contains(k.Near));
        return new(exact, DatasetProfiler.Share(exact, validation.Count), near, DatasetProfiler.Share(near, validation.Count));
    }
}
