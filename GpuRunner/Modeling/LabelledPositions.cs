using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>
/// The positions a masked-LM batch asks predictions for. In training nothing reads the prediction scores anywhere
/// else, so the heads score these rows alone, as Google's BERT does (<c>gather_indexes</c> before the output layer):
/// the product with the whole vocabulary at every position costs more than the encoder (mBERT at 1,024 tokens:
/// 188 GFLOP forward against the twelve layers' 174), and its [tokens, vocabulary] scores and their gradient take about
/// 490 MB each. transformers scores every position and ignores the unlabelled ones in the loss: the same mean.
/// </summary>
public static class LabelledPositions
{
    /// <summary>
    /// A masked-LM head's prediction scores and loss: in training with labels, [N,V] for the labelled positions only;
    /// otherwise [B,T,V] for every position, with the loss over the labelled ones when labels are given.
    /// </summary>
    public static (Tensor Scores, Tensor? Loss) Score(Func<Tensor, Tensor> head, Tensor sequence, Tensor? labels, bool training)
    {
        if (labels is null) return (head(sequence), null);
        if (!training)
        {
            var all = head(sequence);
            return (all, Losses.MaskedLm(all, labels));
        }
        var (rows, targets) = Select(sequence, labels);
        var scores = head(rows);
        return (scores, nn.functional.cross_entropy(scores, targets));
    }

    /// <param name="sequence">[B,T,H] encoder output.</param>
    /// <param name="labels">[B,T] target ids, -100 where nothing is predicted.</param>
    /// <returns>The N labelled rows of <paramref name="sequence"/>, [N,H], and their targets, [N], in row-major order.</returns>
    public static (Tensor Rows, Tensor Targets) Select(Tensor sequence, Tensor labels)
    {
        var flatLabels = labels.reshape(-1);
        var positions = flatLabels.ne(Losses.IgnoreIndex).nonzero().squeeze(1);
        return (sequence.reshape(-1, sequence.shape[^1]).index_select(0, positions), flatLabels.index_select(0, positions));
    }
}
