using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>Loss functions shared by several heads, written as transformers computes them.</summary>
internal static class Losses
{
    /// <summary>transformers' ignore label for positions without a target (padding, unmasked tokens, sub-words).</summary>
    public const long IgnoreIndex = -100;

    /// <summary>Mean cross-entropy over the positions whose label is not -100. scores [B,T,V], labels [B,T].</summary>
    public static Tensor MaskedLm(Tensor scores, Tensor labels) =>
        nn.functional.cross_entropy(scores.view(-1, scores.shape[^1]), labels.view(-1), ignore_index: IgnoreIndex);
}
