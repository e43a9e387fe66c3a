using BertPlatform.GpuRunner.Training;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>
/// A fine-tuning job's examples: those it trains on and those it evaluates. With named validation sets (the XNLI
/// protocol: train on one language, evaluate on many) every training row trains and each set is read whole;
/// otherwise the job's validation dataset, else a seeded hold-out of the training data, is the one evaluation set.
/// </summary>
/// <param name="Validation">The evaluation set checkpoints are selected on: the named set <paramref name="SelectOn"/> when there are named sets.</param>
/// <param name="Source">Where <paramref name="Validation"/> came from, in words, for metrics.json.</param>
public sealed record FineTuningExamples<TExample>(
    List<TExample> Train,
    List<TExample> Validation,
    IReadOnlyList<(string Name, List<TExample> Examples)> NamedSets,
    string? SelectOn,
    string Source)
{
    public static FineTuningExamples<TExample> Read(JobExecution execution, Func<string, DatasetFormat, IEnumerable<TExample>> read)
    {
        var hp = execution.Spec.Hyperparameters;
        if (execution.ValidationSets.Count == 0)
        {
            var (train, validation) = HoldOutSplit.TrainingAndValidation(execution, read);
            return new(train, validation, [], null,
                execution.ValidationDataPath != null ? "dataset" : $"hold-out {hp.ValidationSplit:P0} of the training data");
        }
        var sets = execution.ValidationSets.Select(set => (set.Name, Examples: read(set.Path, set.Format).ToList())).ToList();
        var selectOn = execution.Spec.SelectionSet()!.Name;
        return new(read(execution.TrainingDataPath, execution.TrainingFormat).ToList(), sets.Single(s => s.Name == selectOn).Examples, sets, selectOn,
            $"{sets.Count} named sets, selecting on {selectOn}");
    }

    /// <summary>Every example some evaluation scores.</summary>
    public IEnumerable<TExample> Evaluated => NamedSets.Count > 0 ? NamedSets.SelectMany(s => s.Examples) : Validation;

    /// <summary>
    /// The encoded evaluation sets: the one the trainer selects on, and the named sets it also scores; the selected
    /// named set is that same list, which the trainer recognises and scores once.
    /// </summary>
    public (IReadOnlyList<TFeature> Selection, IReadOnlyList<NamedEvaluationSet<TFeature>> Named) Encode<TFeature>(
        Func<IReadOnlyList<TExample>, IReadOnlyList<TFeature>> encode)
    {
        if (NamedSets.Count == 0) return (encode(Validation), []);
        var named = NamedSets.Select(set => new NamedEvaluationSet<TFeature>(set.Name, encode(set.Examples))).ToList();
        return (named.Single(set => set.Name == SelectOn).Features, named);
    }
}
