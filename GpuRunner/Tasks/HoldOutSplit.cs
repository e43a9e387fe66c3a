using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>A seeded train/validation split for jobs that bring no validation dataset.</summary>
public static class HoldOutSplit
{
    public static (List<T> Train, List<T> Validation) Split<T>(IReadOnlyList<T> examples, double validationShare, int seed)
    {
        if (validationShare is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(validationShare), validationShare, "The validation share must lie strictly between 0 and 1.");
        if (examples.Count < 2)
            throw new InvalidDataException($"A hold-out split needs at least 2 examples; the dataset has {examples.Count}.");
        var order = Enumerable.Range(0, examples.Count).ToArray();
        new Random(seed).Shuffle(order);
        var validationCount = Math.Clamp((int)Math.Round(examples.Count * validationShare), 1, examples.Count - 1);
        return (order.Skip(validationCount).Select(i => examples[i]).ToList(), order.Take(validationCount).Select(i => examples[i]).ToList());
    }

    /// <summary>
    /// A job's training and validation examples: the validation dataset when the job names one, else a seeded
    /// hold-out share of the training data.
    /// </summary>
    public static (List<T> Train, List<T> Validation) TrainingAndValidation<T>(JobExecution execution, Func<string, DatasetFormat, IEnumerable<T>> read)
    {
        var hp = execution.Spec.Hyperparameters;
        var examples = read(execution.TrainingDataPath, execution.TrainingFormat).ToList();
        return execution.ValidationDataPath is { } validationPath
            ? (examples, read(validationPath, execution.ValidationFormat ?? execution.TrainingFormat).ToList())
            : Split(examples, hp.ValidationSplit, hp.Seed);
    }
}
