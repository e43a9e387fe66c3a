using BertPlatform.GpuRunner.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tests.Training;

/// <summary>
/// The fused optimizer against TorchSharp's AdamW (torch.optim.AdamW's algorithm as tensor operations) and
/// torch.nn.utils.clip_grad_norm_, on identical gradients: two weight-decay groups, gradient accumulation, clipping,
/// a tensor spanning several parallel chunks with a ragged tail, and its state saved and resumed bit for bit.
/// (<see cref="TrainingStepTests"/> checks it against transformers' own AdamW steps.)
/// </summary>
public sealed class FusedAdamWTests : IDisposable
{
    private const double LearningRate = 1e-3, Epsilon = 1e-6, WeightDecay = 0.01;

    private readonly string directory = Directory.CreateTempSubdirectory("fused-adamw-").FullName;

    // 200,003 elements span several 65,536-element chunks and end off the SIMD width; the rest are BERT-like shapes.
    private static readonly long[][] Shapes = [[200_003], [64, 48], [48], [48], [7, 5]];

    private static List<(string Name, Parameter Parameter)> NewParameters(long seed)
    {
        using var _ = no_grad();
        var generator = new Generator((ulong)seed);
        return Shapes.Select((shape, i) => ($"p{i}", new Parameter(randn(shape, generator: generator)))).ToList();
    }

    /// <summary>Decay on the even-numbered parameters only, as the trainer decays weights and not biases.</summary>
    private static bool Decays(string name) => int.Parse(name[1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0;

    /// <summary>Accumulates one micro-batch's gradients exactly: d/dp Σ p·g = g.</summary>
    private static void Accumulate(List<(string Name, Parameter Parameter)> parameters, IReadOnlyList<Tensor> gradients)
    {
        using var scope = NewDisposeScope();
        parameters.Select((p, i) => (p.Parameter * gradients[i]).sum()).Aggregate((a, b) => a + b).backward();
    }

    /// <summary>Per step, two micro-batches of random gradients (large enough that clipping at 1.0 always applies).</summary>
    private static List<Tensor[][]> Gradients(int steps)
    {
        var generator = new Generator(99);
        return Enumerable.Range(0, steps).Select(_ => Enumerable.Range(0, 2)
            .Select(_ => Shapes.Select(shape => (randn(shape, generator: generator) * 0.5).DetachFromDisposeScope()).ToArray())
            .ToArray()).ToList();
    }

    private static FusedAdamW NewFused(List<(string Name, Parameter Parameter)> parameters, double weightDecay) => new(
        [new AdamWGroup(parameters.Where(p => Decays(p.Name)).ToList(), weightDecay), new AdamWGroup(parameters.Where(p => !Decays(p.Name)).ToList(), 0)],
        LearningRate, 0.9, 0.999, Epsilon);

    private static void FusedStep(FusedAdamW optimizer, List<(string Name, Parameter Parameter)> parameters, Tensor[][] micro, double maxNorm)
    {
        optimizer.ZeroGrad();
        foreach (var gradients in micro) Accumulate(parameters, gradients);
        optimizer.Step(maxNorm > 0 ? FusedAdamW.ClippingScale(optimizer.GradientNorm(), maxNorm) : 1f);
    }

    [Theory]
    [InlineData(WeightDecay, 0.0)]
    [InlineData(0.0, 0.0)]
    [InlineData(WeightDecay, 1.0)]
    [InlineData(0.0, 1.0)]
    public void Steps_match_torch_AdamW_with_accumulation_and_clipping(double weightDecay, double maxNorm)
    {
        using var scope = NewDisposeScope();
        var (fusedParameters, referenceParameters) = (NewParameters(1), NewParameters(1));
        using var fused = NewFused(fusedParameters, weightDecay);
        using var reference = optim.AdamW(
        [
            new AdamW.ParamGroup(referenceParameters.Where(p => Decays(p.Name)).Select(p => p.Parameter), LearningRate, 0.9, 0.999, Epsilon, weightDecay, false, false),
            new AdamW.ParamGroup(referenceParameters.Where(p => !Decays(p.Name)).Select(p => p.Parameter), LearningRate, 0.9, 0.999, Epsilon, 0, false, false),
        ], LearningRate, 0.9, 0.999, Epsilon, weightDecay);

        foreach (var micro in Gradients(steps: 4))
        {
            FusedStep(fused, fusedParameters, micro, maxNorm);
            reference.zero_grad();
            foreach (var gradients in micro) Accumulate(referenceParameters, gradients);
            if (maxNorm > 0) nn.utils.clip_grad_norm_(referenceParameters.Select(p => p.Parameter), maxNorm);
            reference.step();
        }

        var (initial, moved) = (NewParameters(1), 0.0);
        for (var i = 0; i < Shapes.Length; i++)
        {
            TinyBert.AssertClose(referenceParameters[i].Parameter, fusedParameters[i].Parameter, 1e-6, $"{fusedParameters[i].Name} after 4 steps");
            moved = Math.Max(moved, (fusedParameters[i].Parameter - initial[i].Parameter).abs().max().item<float>());
        }
        // Four steps of ~lr each: the comparison above is 1e-6 against a movement three orders of magnitude larger.
        Assert.True(moved > 1e-3, $"the parameters moved at most {moved}");
    }

    [Fact]
    public void Clipping_and_decay_change_the_result()
    {
        // Controls for the parity test: with clipping or decay ignored the parameters end measurably elsewhere.
        using var scope = NewDisposeScope();
        var runs = new[] { (WeightDecay, 1.0), (WeightDecay, 0.0), (0.0, 1.0) }.Select(setting =>
        {
            var parameters = NewParameters(1);
            using var optimizer = NewFused(parameters, setting.Item1);
            foreach (var micro in Gradients(steps: 2)) FusedStep(optimizer, parameters, micro, setting.Item2);
            return parameters;
        }).ToArray();
        Assert.True((runs[0][0].Parameter - runs[1][0].Parameter).abs().max().item<float>() > 1e-5, "clipping made no difference");
        Assert.True((runs[0][0].Parameter - runs[2][0].Parameter).abs().max().item<float>() > 1e-6, "weight decay made no difference");
    }

    [Fact]
    public void A_state_saved_and_restored_continues_bit_for_bit()
    {
        using var scope = NewDisposeScope();
        var gradients = Gradients(steps: 4);
        var straight = NewParameters(1);
        using (var optimizer = NewFused(straight, WeightDecay))
            foreach (var micro in gradients) FusedStep(optimizer, straight, micro, 1.0);

        var resumed = NewParameters(1);
        var path = Path.Combine(directory, "optimizer.safetensors");
        using (var optimizer = NewFused(resumed, WeightDecay))
        {
            foreach (var micro in gradients.Take(2)) FusedStep(optimizer, resumed, micro, 1.0);
            OptimizerStateFile.Save(optimizer, path);
        }
        using (var optimizer = NewFused(resumed, WeightDecay))
        {
            OptimizerStateFile.Load(optimizer, path);
            foreach (var micro in gradients.Skip(2)) FusedStep(optimizer, resumed, micro, 1.0);
        }

        for (var i = 0; i < Shapes.Length; i++)
            Assert.True(straight[i].Parameter.eq(resumed[i].Parameter).all().item<bool>(), $"{straight[i].Name} differs after resuming");
    }

    [Fact]
    public void A_state_for_another_model_is_rejected_with_the_parameter_named()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(directory, "other.safetensors");
        var parameters = NewParameters(1);
        using (var optimizer = NewFused(parameters, WeightDecay)) OptimizerStateFile.Save(optimizer, path);

        var fewer = parameters.Take(3).ToList();
        using var smaller = new FusedAdamW([new AdamWGroup(fewer, 0)], LearningRate);
        var error = Assert.Throws<InvalidDataException>(() => OptimizerStateFile.Load(smaller, path));
        Assert.Contains("exp_avg.p3, exp_avg.p4, exp_avg_sq.p3", error.Message);

        using var reshaped = new FusedAdamW([new AdamWGroup([("p0", new Parameter(zeros(3)))], 0)], LearningRate);
        error = Assert.Throws<InvalidDataException>(() => OptimizerStateFile.Load(reshaped, path));
        Assert.Contains("'p0'", error.Message);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
