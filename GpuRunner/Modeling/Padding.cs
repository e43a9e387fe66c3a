using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>
/// Dynamic padding, the one way training batches and inference inputs are padded: stacks sequences into one int64
/// tensor as long as the batch's longest member.
/// </summary>
public static class Padding
{
    /// <returns>[B, T] with T = longest sequence; shorter rows end in <paramref name="padValue"/>.</returns>
    public static Tensor Stack(IReadOnlyList<IReadOnlyList<int>> sequences, long padValue, Device device)
    {
        var width = sequences.Max(s => s.Count);
        var data = new long[sequences.Count * width];
        Array.Fill(data, padValue);
        for (var row = 0; row < sequences.Count; row++)
            for (var t = 0; t < sequences[row].Count; t++) data[row * width + t] = sequences[row][t];
        return tensor(data, [sequences.Count, width], device: device);
    }

    /// <returns>[B, T] attention mask: 1 on real tokens, 0 on padding.</returns>
    public static Tensor Mask(IReadOnlyList<IReadOnlyList<int>> sequences, Device device) =>
        Stack(sequences.Select(s => (IReadOnlyList<int>)Enumerable.Repeat(1, s.Count).ToArray()).ToArray(), 0, device);
}
