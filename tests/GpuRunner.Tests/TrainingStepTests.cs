using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Training;
using TorchSharp;
using static TorchSharp.torch;
using static BertPlatform.GpuRunner.Tests.TinyBert;

namespace BertPlatform.GpuRunner.Tests;

/// <summary>
/// AdamW steps against transformers + torch.optim.AdamW (one group, lr 1e-3, eps 1e-6, wd 0.01, dropout 0, batch b1_pairs):
/// losses, global gradient norms, every step-1 gradient, every parameter after the steps. The optimizer is the trainer's
/// <see cref="FusedAdamW"/>.
/// </summary>
public sealed class TrainingStepTests
{
    [Fact]
    public void SequenceClassificationStepsMatchTransformers()
    {
        var reference = ReadFixture("train_step_seqcls.safetensors");
        RunSteps(Head("seqcls"), [Batch("b1_pairs", "seqcls")], steps: 3, reference, afterLossName: "after_step3.loss");
    }

    [Fact]
    public void SequenceClassificationStepsWithGradientAccumulationMatchTransformers()
    {
        // The fixture's batch of three, accumulated one example at a time (each loss divided by 3 sums to the batch mean);
        // rows keep their padding, so each example is computed exactly as within the batch.
        var reference = ReadFixture("train_step_seqcls.safetensors");
        var batch = Batch("b1_pairs", "seqcls");
        var microBatches = Enumerable.Range(0, 3).Select(i => new BertBatch
        {
            InputIds = batch.InputIds[i..(i + 1)],
            TokenTypeIds = batch.TokenTypeIds![i..(i + 1)],
            AttentionMask = batch.AttentionMask![i..(i + 1)],
            Labels = batch.Labels![i..(i + 1)],
        }).ToArray();
        RunSteps(Head("seqcls"), microBatches, steps: 3, reference, afterLossName: "after_step3.loss");
    }

    [Fact]
    public void PreTrainingStepsWithTiedDecoderMatchTransformers()
    {
        var reference = ReadFixture("train_step_pretrain.safetensors");
        RunSteps(TinyBert.Root, [Batch("b1_pairs", "pretrain")], steps: 2, reference, afterLossName: "after_step2.loss");
    }

    // The key bias cannot change any attention probability (softmax is shift-invariant per query), so its true gradient
    // is 0 and both frameworks compute float32 noise of ~1e-9; Adam turns that into a step of lr·g/(|g|+eps) of up to
    // ~5e-6. Every other parameter matches to 2e-6.
    private static double AfterStepTolerance(string name) => name.EndsWith("attention.self.key.bias", StringComparison.Ordinal) ? 1e-5 : 2e-6;

    private static void RunSteps(string directory, BertBatch[] microBatches, int steps, IReadOnlyDictionary<string, Tensor> reference, string afterLossName)
    {
        using var scope = NewDisposeScope();
        var (model, _) = HuggingFaceCheckpoint.FromPretrained(directory, configure: c =>
        {
            c.HiddenDropoutProb = 0;
            c.AttentionProbsDropoutProb = 0;
        });
        using var _ = model;
        model.train();
        var parameters = model.named_parameters().ToList();
        // The tied decoder is not a parameter of its own: the optimizer sees the reference's unique parameters exactly.
        Assert.Equal(
            reference.Keys.Where(k => k.StartsWith("step1.after.", StringComparison.Ordinal)).Select(k => k["step1.after.".Length..]).Order(StringComparer.Ordinal),
            parameters.Select(p => p.name).Order(StringComparer.Ordinal));
        using var optimizer = new FusedAdamW([new AdamWGroup(parameters, 0.01)], learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-6);

        for (var step = 1; step <= steps; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.ZeroGrad();
            var loss = zeros(1);
            foreach (var micro in microBatches)
            {
                var microLoss = model.forward(micro).Loss! / microBatches.Length;
                microLoss.backward();
                loss += microLoss.detach();
            }
            AssertClose(reference[$"step{step}.loss"], loss.squeeze(), 1e-5, $"step{step}.loss");

            var gradNorm = stack(parameters.Select(p => p.parameter.grad!.pow(2).sum()).ToArray()).sum().sqrt();
            var expectedNorm = reference[$"step{step}.grad_norm"].item<float>();
            Assert.True(Math.Abs(gradNorm.item<float>() - expectedNorm) <= 1e-5 * expectedNorm,
                $"step{step}.grad_norm {gradNorm.item<float>()} vs {expectedNorm}");
            if (step == 1)
                foreach (var (name, parameter) in parameters)
                    AssertClose(reference[$"step1.grad.{name}"], parameter.grad!, 1e-5, $"step1.grad.{name}");

            optimizer.Step();
            if (reference.ContainsKey($"step{step}.after.{parameters[0].name}"))
                foreach (var (name, parameter) in parameters)
                    AssertClose(reference[$"step{step}.after.{name}"], parameter, AfterStepTolerance(name), $"step{step}.after.{name}");
        }

        using var noGrad = no_grad();
        var batchLoss = microBatches.Select(m => model.forward(m).Loss!).Aggregate((a, b) => a + b) / microBatches.Length;
        AssertClose(reference[afterLossName], batchLoss, 1e-5, afterLossName);
    }
}
