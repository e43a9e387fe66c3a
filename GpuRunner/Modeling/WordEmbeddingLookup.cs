using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>
/// The word-embedding lookup, with a backward that adds each token's gradient into the row it read. torch's embedding
/// backward builds a dense gradient over the whole vocabulary (119,547 × 768 floats for mBERT, 367 MB) on every
/// backward, and autograd then adds it into <c>.grad</c>, for the thousand or so rows a batch touches. Here the
/// gradient goes straight into the parameter's <c>.grad</c> (allocated on first use, then kept, as autograd keeps it)
/// and autograd is handed none for the weight. Gradients that reach the weight another way (the pre-training decoder
/// tied to it) still arrive through autograd, which adds them into the same <c>.grad</c> afterwards. Positions holding
/// the padding token give their row no gradient, as torch's <c>padding_idx</c> does.
/// </summary>
public sealed class WordEmbeddingLookup : autograd.SingleTensorFunction<WordEmbeddingLookup>
{
    public override string Name => nameof(WordEmbeddingLookup);

    /// <summary>
    /// Whether the lookup needs this backward: a CPU weight that takes gradients, with autograd on. On CUDA torch's
    /// embedding backward is quick, and index_add_'s atomic adds there would make the sums' order vary from run to run.
    /// </summary>
    public static bool Applies(Parameter weight, Tensor ids) =>
        is_grad_enabled() && weight.requires_grad && weight.device_type == DeviceType.CPU && ids.device_type == DeviceType.CPU;

    /// <summary>[B,T] ids → [B,T,H] rows of <paramref name="weight"/>, differentiable with respect to the weight.</summary>
    public static Tensor Of(Parameter weight, Tensor ids, long paddingIndex) => apply(weight, ids, paddingIndex);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (weight, ids, paddingIndex) = ((Tensor)vars[0], (Tensor)vars[1], (long)vars[2]);
        // A saved leaf unpacks to the parameter itself, so backward can reach its .grad.
        ctx.save_for_backward([weight, ids]);
        ctx.save_data("padding", paddingIndex);
        return weight.index_select(0, ids.reshape(-1)).view([.. ids.shape, weight.shape[1]]);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var saved = ctx.get_saved_variables();
        using var weight = saved[0];
        using var ids = saved[1];
        var paddingIndex = (long)ctx.get_data("padding");
        using (no_grad())
        using (NewDisposeScope())
        {
            var flatIds = ids.reshape(-1);
            var kept = flatIds.ne(paddingIndex).nonzero().squeeze(1); // positions whose row learns
            var rows = gradOutput.reshape(flatIds.shape[0], -1).index_select(0, kept);
            weight.grad ??= zeros_like(weight);
            using var grad = weight.grad!;
            grad.index_add_(0, flatIds.index_select(0, kept), rows, 1);
        }
        return [null!, null!, null!]; // nothing for autograd to add: the weight's gradient is already in place
    }
}
