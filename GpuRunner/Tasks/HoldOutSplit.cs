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
}
