using BertPlatform.GpuRunner.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tests.Modeling;

/// <summary>
/// The word-embedding lookup writes its gradient straight into the weight's .grad: it must equal torch's embedding
/// gradient with padding_idx, accumulate over backward passes, and add up with gradients autograd brings to the same
/// weight (a tied decoder).
/// </summary>
public sealed class WordEmbeddingLookupTests
{
    private const long Padding = 0;

    [Fact]
    public void The_gradient_is_torchs_embedding_gradient_accumulated_and_added_to_a_tied_use()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(5);
        using var ours = nn.Embedding(12, 6, padding_idx: Padding);
        using var torchs = nn.Embedding(12, 6, padding_idx: Padding);
        using (no_grad()) torchs.weight!.copy_(ours.weight!);
        // Repeated ids (their rows sum) and padding (its row gets nothing).
        var batches = new[] { tensor(new long[,] { { 3, 5, 3, 0 }, { 7, 3, 0, 0 } }), tensor(new long[,] { { 11, 5, 5, 2 }, { 0, 9, 9, 9 } }) };
        var decoderInput = randn([2, 6]);

        Tensor Loss(Tensor rows, Tensor weight) =>
            (rows * arange(rows.numel(), dtype: ScalarType.Float32).view(rows.shape)).sum() // every element weighed differently
            + decoderInput.matmul(weight.t()).pow(2).sum();                                  // the weight used again, as a tied decoder does

        foreach (var ids in batches)
        {
            Assert.True(WordEmbeddingLookup.Applies(ours.weight!, ids));
            Loss(WordEmbeddingLookup.Of(ours.weight!, ids, Padding), ours.weight!).backward();
            Loss(torchs.forward(ids), torchs.weight!).backward();
        }

        var (expected, actual) = (torchs.weight!.grad!, ours.weight!.grad!);
        Assert.True(actual.allclose(expected, rtol: 1e-6, atol: 1e-6), $"differs by {(actual - expected).abs().max().item<float>()}");

        // Alone, each row's gradient counts how often the batch read it, and the padding row's stays zero.
        using (no_grad()) ours.weight!.grad!.zero_();
        WordEmbeddingLookup.Of(ours.weight!, batches[0], Padding).sum().backward();
        var counts = ours.weight!.grad!.select(1, 0);
        Assert.Equal([0f, 0f, 0f, 3f, 0f, 1f, 0f, 1f, 0f, 0f, 0f, 0f], counts.data<float>().ToArray());
    }

    [Fact]
    public void Without_autograd_or_on_a_frozen_weight_the_lookup_is_torchs_own()
    {
        using var scope = NewDisposeScope();
        using var embedding = nn.Embedding(8, 4, padding_idx: Padding);
        var ids = tensor(new long[,] { { 1, 2 } });
        using (no_grad()) Assert.False(WordEmbeddingLookup.Applies(embedding.weight!, ids));
        embedding.weight!.requires_grad_(false);
        Assert.False(WordEmbeddingLookup.Applies(embedding.weight!, ids));
    }
}
