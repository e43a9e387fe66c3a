using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>The residual connection both output blocks of a layer end with, before their LayerNorm.</summary>
public static class ResidualSum
{
    /// <summary>
    /// <paramref name="projected"/> + <paramref name="input"/>. Without autograd the projection is garbage once summed,
    /// so the residual is added into it instead of allocating another activation.
    /// </summary>
    public static Tensor Of(Tensor projected, Tensor input) => is_grad_enabled() ? projected + input : projected.add_(input);
}
