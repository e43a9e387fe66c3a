using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>
/// Dropout as torch applies it (zero each element with probability p, scale the rest by 1/(1 − p); nothing in eval
/// mode), with the mask drawn by <see cref="DropoutMask"/> on the CPU, where torch's own sampler costs more than the
/// layer it follows. On other devices torch's dropout runs unchanged.
/// </summary>
public sealed class BertDropout : nn.Module<Tensor, Tensor>
{
    private readonly double probability;

    public BertDropout(double probability) : base(nameof(BertDropout))
    {
        this.probability = DropoutMask.Checked(probability);
    }

    public override Tensor forward(Tensor input) => training ? Apply(input, probability) : input;

    /// <summary>Training-mode dropout of <paramref name="input"/>; the input itself when p is 0, as torch returns it.</summary>
    public static Tensor Apply(Tensor input, double probability)
    {
        if (probability == 0 || input.numel() == 0) return input;
        if (input.device_type != DeviceType.CPU) return nn.functional.dropout(input, probability, training: true);
        // Autograd keeps the mask for backward (the gradient is grad · mask), as torch's dropout keeps its own.
        using var mask = DropoutMask.Scaled(input.shape, probability);
        if (input.dtype == ScalarType.Float32) return input * mask;
        using var typed = mask.to(input.dtype);
        return input * typed;
    }
}
