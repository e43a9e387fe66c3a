using System.Globalization;
using BertPlatform.GpuRunner.Modeling;

namespace BertPlatform.GpuRunner.Worker;

/// <summary>
/// The local disk a job needs at its peak, checked before anything is downloaded, so that a job too large for the
/// replica's ephemeral storage (8 GiB on Container Apps) fails at once with the numbers instead of hours later with
/// "No space left on device".
/// <para>
/// The peak is the base model and the datasets plus four times the model's weights: the best weights kept for
/// publishing, and the latest checkpoint (weights and both AdamW moments) while it is written, before its upload
/// lets the trainer prune it. A resumed attempt reaches the same peak while it restores that checkpoint, and
/// publishing stays below it (the best weights, their copy and the ONNX export).
/// </para>
/// </summary>
/// <param name="BaseModelBytes">The base model's files (none for from-scratch pre-training).</param>
/// <param name="DatasetBytes">The training and validation datasets.</param>
/// <param name="WeightBytes">One float32 copy of the weights being trained.</param>
public sealed record WorkspaceBudget(long BaseModelBytes, long DatasetBytes, long WeightBytes)
{
    /// <summary>Copies of the weights on disk at the peak: best, and last with two AdamW moments.</summary>
    public const int WeightCopiesAtPeak = 4;

    public long PeakBytes => BaseModelBytes + DatasetBytes + WeightCopiesAtPeak * WeightBytes;

    /// <summary>
    /// Throws <see cref="JobFailedException"/> when <see cref="PeakBytes"/> exceeds the free space under
    /// <paramref name="workDirectory"/> or the configured <paramref name="budgetBytes"/>.
    /// </summary>
    public void EnsureFits(string workDirectory, long? budgetBytes)
    {
        Directory.CreateDirectory(workDirectory);
        var free = new DriveInfo(Path.GetFullPath(workDirectory)).AvailableFreeSpace;
        var (available, limit) = budgetBytes is { } budget && budget < free
            ? (budget, $"the runner's workspace budget (Runner__WorkspaceBudgetGiB) allows {Format(budget)}")
            : (free, $"{Format(free)} is free under {workDirectory}");
        if (PeakBytes <= available) return;
        throw new JobFailedException(
            $"The job needs about {Format(PeakBytes)} of local disk at its peak (base model {Format(BaseModelBytes)}, datasets {Format(DatasetBytes)}, " +
            $"checkpoints {WeightCopiesAtPeak} x {Format(WeightBytes)} of weights: the best, and the latest with its AdamW moments until it is uploaded), " +
            $"but {limit}. Use a smaller base model or dataset, or give the runner more disk.");
    }

    /// <summary>
    /// Bytes of BertForPreTraining's float32 parameters for <paramref name="config"/> (the largest head; the
    /// decoder is tied to the word embeddings), for a model that does not exist yet (from-scratch pre-training).
    /// </summary>
    public static long WeightBytesOf(BertConfig config)
    {
        long h = config.HiddenSize, i = config.IntermediateSize, v = config.VocabSize;
        var embeddings = (v + config.MaxPositionEmbeddings + config.TypeVocabSize) * h + 2 * h;
        var layer = 4 * (h * h + h) + 2 * h + (h * i + i) + (i * h + h) + 2 * h;
        var pooler = h * h + h;
        var heads = (h * h + h) + 2 * h + v + (2 * h + 2);
        return sizeof(float) * (embeddings + config.NumHiddenLayers * layer + pooler + heads);
    }

    public static string Format(long bytes) =>
        bytes >= 1L << 30 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.00} GiB")
        : bytes >= 1L << 20 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
}
