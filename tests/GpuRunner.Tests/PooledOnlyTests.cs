using BertPlatform.GpuRunner.Modeling;
using static TorchSharp.torch;
using static BertPlatform.GpuRunner.Tests.TinyBert;

namespace BertPlatform.GpuRunner.Tests;

/// <summary>
/// Heads that read only [CLS] let the last layer compute that row alone: the pooled output and every gradient must be
/// those of the full encoder, on padded batches too.
/// </summary>
public sealed class PooledOnlyTests
{
    [Theory]
    [MemberData(nameof(ForwardConformanceTests.Batches), MemberType = typeof(ForwardConformanceTests))]
    public void The_last_layer_computing_only_CLS_gives_the_full_pooler_output_and_gradients(string batchName)
    {
        using var scope = NewDisposeScope();
        using var model = (BertForPreTraining)LoadEval(TinyBert.Root);
        var batch = Batch(batchName, "pretrain");

        Dictionary<string, Tensor> Run(bool pooledOnly)
        {
            model.zero_grad();
            var (sequence, pooled) = model.bert.forward(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask, pooledOnly);
            Assert.Equal(pooledOnly ? 1 : batch.InputIds.shape[1], sequence.shape[1]);
            (pooled! * arange(pooled!.shape[1], dtype: pooled.dtype)).sum().backward(); // a loss that weighs every pooled unit differently
            return model.bert.named_parameters().Where(p => p.parameter.grad is not null)
                .ToDictionary(p => p.name, p => p.parameter.grad!.clone())
                .Append(new("pooled", pooled.detach().clone())).ToDictionary();
        }

        var full = Run(pooledOnly: false);
        var pruned = Run(pooledOnly: true);
        Assert.Equal(full.Keys.Order(), pruned.Keys.Order());
        foreach (var (name, expected) in full)
        {
            // Summation order differs where a product has 1 row instead of T: float rounding, relative to the tensor's scale,
            // and absolute for gradients that are zero in exact arithmetic (a key bias: softmax ignores a shift).
            var difference = (pruned[name] - expected).abs().max().item<float>();
            var scale = expected.abs().max().item<float>();
            Assert.True(difference <= 1e-4 * scale + 2e-6, $"{name} differs by {difference} (largest value {scale})");
        }
        // The last layer's query, output and feed-forward weights learn from [CLS] alone in both: their gradients are not zero.
        Assert.True(pruned["encoder.layer.1.intermediate.dense.weight"].abs().sum().item<float>() > 0);
    }
}
