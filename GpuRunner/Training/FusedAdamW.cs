using System.Numerics;
using BertPlatform.GpuRunner.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Training;

/// <summary>
/// torch.optim.AdamW's arithmetic in a single pass over each parameter. The step is memory-bound: it reads the
/// parameter, its gradient and both moments and writes three of them, so on the CPU it walks each float32 tensor's
/// storage once, in chunks spread over the cores, with SIMD; TorchSharp's AdamW makes about six passes and allocates
/// temporaries per parameter. Elsewhere (CUDA) it runs the same arithmetic as in-place tensor operations.
/// The arithmetic, per element and in float32 as torch does it:
/// <c>p = p·(1 − lr·wd); m = m·β1 + (1 − β1)·g; v = v·β2 + (1 − β2)·g·g; p = p + (−lr/bc1)·m / (√v / √bc2 + ε)</c>
/// with <c>bc = 1 − βᵗ</c> and t counted per parameter (a parameter without a gradient is skipped, as torch skips it).
/// </summary>
public sealed class FusedAdamW : IDisposable
{
    /// <summary>Elements per unit of parallel work: large enough to amortise scheduling, small enough to balance.</summary>
    private const int ChunkElements = 1 << 16;

    private readonly Slot[] slots;

    public FusedAdamW(IEnumerable<AdamWGroup> groups, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        if (learningRate < 0) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must not be negative.");
        if (beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β1 must lie in [0, 1).");
        if (beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β2 must lie in [0, 1).");
        if (epsilon < 0) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must not be negative.");
        (LearningRate, Beta1, Beta2, Epsilon) = (learningRate, beta1, beta2, epsilon);
        var list = new List<Slot>();
        using (no_grad())
        {
            foreach (var group in groups)
            {
                if (group.WeightDecay < 0) throw new ArgumentOutOfRangeException(nameof(groups), group.WeightDecay, "Weight decay must not be negative.");
                foreach (var (name, parameter) in group.Parameters)
                    list.Add(new Slot(name, parameter, group.WeightDecay, zeros_like(parameter).contiguous(), zeros_like(parameter).contiguous()));
            }
        }
        var duplicate = list.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"The parameter '{duplicate.Key}' appears in more than one group.", nameof(groups));
        slots = [.. list];
    }

    public double LearningRate { get; set; }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Epsilon { get; }

    public IEnumerable<string> ParameterNames => slots.Select(s => s.Name);

    /// <summary>
    /// One AdamW step on every parameter that has a gradient, each gradient multiplied by <paramref name="gradientScale"/>
    /// first (the clipping coefficient, applied here instead of in a separate pass over the gradients).
    /// </summary>
    public void Step(float gradientScale = 1f)
    {
        using var _ = no_grad();
        // TorchSharp hands out a new wrapper on every .grad read: take each once and release them all at the end.
        var grads = slots.Select(s => s.Parameter.grad).ToArray();
        try
        {
            var work = new List<(Pointers Pointers, long Start, int Length, Coefficients Coefficients)>();
            for (var k = 0; k < slots.Length; k++)
            {
                var (slot, grad) = (slots[k], grads[k]);
                if (grad is null) continue;
                slot.Steps++;
                var coefficients = new Coefficients(LearningRate, Beta1, Beta2, Epsilon, slot.WeightDecay, slot.Steps, gradientScale);
                if (!IsFusable(slot.Parameter, grad))
                {
                    StepWithTensorOperations(slot, grad, coefficients);
                    continue;
                }
                var pointers = new Pointers(slot, grad);
                for (long start = 0, n = slot.Parameter.numel(); start < n; start += ChunkElements)
                    work.Add((pointers, start, (int)Math.Min(ChunkElements, n - start), coefficients));
            }
            Parallel.For(0, work.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                i => work[i].Pointers.Update(work[i].Start, work[i].Length, work[i].Coefficients));
        }
        finally
        {
            foreach (var grad in grads) grad?.Dispose();
        }
    }

    /// <summary>Sets every gradient to zero in place, so gradients are allocated once for the whole run.</summary>
    public void ZeroGrad()
    {
        using var _ = no_grad();
        foreach (var slot in slots)
        {
            using var grad = slot.Parameter.grad;
            grad?.zero_();
        }
    }

    /// <summary>The global L2 norm of all gradients, computed as torch.nn.utils.clip_grad_norm_ computes it.</summary>
    public float GradientNorm()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // Created inside the scope, the gradient wrappers and the per-tensor norms are released with it.
        var norms = slots.Select(s => s.Parameter.grad).OfType<Tensor>().Select(g => linalg.vector_norm(g)).ToArray();
        return norms.Length == 0 ? 0f : linalg.vector_norm(stack(norms)).cpu().item<float>();
    }

    /// <summary>torch's clipping coefficient for a global norm: max_norm / (norm + 1e-6), never above 1.</summary>
    public static float ClippingScale(float gradientNorm, double maxNorm) => Math.Min(1f, (float)maxNorm / (gradientNorm + 1e-6f));

    /// <summary>Each parameter's moments and step count, named after the parameter.</summary>
    public IEnumerable<(string Name, Tensor ExpAvg, Tensor ExpAvgSq, long Steps)> State =>
        slots.Select(s => (s.Name, s.ExpAvg, s.ExpAvgSq, s.Steps));

    /// <summary>Restores one parameter's moments and step count (shapes must match the parameter's).</summary>
    public void Restore(string name, Tensor expAvg, Tensor expAvgSq, long steps)
    {
        var slot = slots.FirstOrDefault(s => s.Name == name)
            ?? throw new InvalidDataException($"The optimizer state names a parameter '{name}' that this model does not have.");
        if (!expAvg.shape.SequenceEqual(slot.ExpAvg.shape) || !expAvgSq.shape.SequenceEqual(slot.ExpAvgSq.shape))
            throw new InvalidDataException(
                $"The optimizer state for '{name}' has shape [{string.Join(",", expAvg.shape)}]; the parameter has [{string.Join(",", slot.ExpAvg.shape)}].");
        if (steps < 0) throw new InvalidDataException($"The optimizer state for '{name}' has a negative step count {steps}.");
        using var _ = no_grad();
        slot.ExpAvg.copy_(expAvg);
        slot.ExpAvgSq.copy_(expAvgSq);
        slot.Steps = steps;
    }

    public void Dispose()
    {
        foreach (var slot in slots)
        {
            slot.ExpAvg.Dispose();
            slot.ExpAvgSq.Dispose();
        }
    }

    private static bool IsFusable(Tensor parameter, Tensor grad) =>
        parameter.device_type == DeviceType.CPU && grad.device_type == DeviceType.CPU &&
        parameter.dtype == ScalarType.Float32 && grad.dtype == ScalarType.Float32 &&
        parameter.is_contiguous() && grad.is_contiguous();

    /// <summary>The same arithmetic as tensor operations, for devices whose memory the CPU cannot walk.</summary>
    private static void StepWithTensorOperations(Slot slot, Tensor rawGrad, Coefficients c)
    {
        using var scope = NewDisposeScope();
        var grad = c.GradientScale == 1f ? rawGrad : rawGrad * c.GradientScale;
        slot.Parameter.mul_(c.Decay);
        slot.ExpAvg.mul_(c.Beta1).add_(grad, alpha: c.OneMinusBeta1);
        slot.ExpAvgSq.mul_(c.Beta2).addcmul_(grad, grad, value: c.OneMinusBeta2);
        var denominator = (slot.ExpAvgSq.sqrt() / c.BiasCorrection2Sqrt).add_(c.Epsilon);
        slot.Parameter.addcdiv_(slot.ExpAvg, denominator, value: c.NegativeStepSize);
    }

    private sealed class Slot(string name, Parameter parameter, double weightDecay, Tensor expAvg, Tensor expAvgSq)
    {
        public string Name { get; } = name;
        public Parameter Parameter { get; } = parameter;
        public double WeightDecay { get; } = weightDecay;
        public Tensor ExpAvg { get; } = expAvg;
        public Tensor ExpAvgSq { get; } = expAvgSq;
        public long Steps { get; set; }
    }

    /// <summary>A step's scalars, rounded to float32 once, as torch rounds a Python float applied to a float32 tensor.</summary>
    private readonly struct Coefficients
    {
        public Coefficients(double lr, double beta1, double beta2, double epsilon, double weightDecay, long step, float gradientScale)
        {
            Decay = (float)(1 - lr * weightDecay);
            (Beta1, OneMinusBeta1) = ((float)beta1, (float)(1 - beta1));
            (Beta2, OneMinusBeta2) = ((float)beta2, (float)(1 - beta2));
            BiasCorrection2Sqrt = (float)Math.Sqrt(1 - Math.Pow(beta2, step));
            NegativeStepSize = (float)(-(lr / (1 - Math.Pow(beta1, step))));
            Epsilon = (float)epsilon;
            GradientScale = gradientScale;
        }

        public float Decay { get; }
        public float Beta1 { get; }
        public float OneMinusBeta1 { get; }
        public float Beta2 { get; }
        public float OneMinusBeta2 { get; }
        public float BiasCorrection2Sqrt { get; }
        public float NegativeStepSize { get; }
        public float Epsilon { get; }
        public float GradientScale { get; }
    }

    /// <summary>Raw float32 storage of one parameter, its gradient and its moments (all contiguous).</summary>
    private readonly unsafe struct Pointers
    {
        private readonly float* parameter, grad, expAvg, expAvgSq;

        public Pointers(Slot slot, Tensor gradient)
        {
            parameter = TensorStorage.Floats(slot.Parameter);
            grad = TensorStorage.Floats(gradient);
            expAvg = TensorStorage.Floats(slot.ExpAvg);
            expAvgSq = TensorStorage.Floats(slot.ExpAvgSq);
        }

        public void Update(long start, int length, Coefficients c)
        {
            float* p = parameter + start, g = grad + start, m = expAvg + start, v = expAvgSq + start;
            var i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var width = Vector<float>.Count;
                var (decay, beta1, oneMinusBeta1) = (new Vector<float>(c.Decay), new Vector<float>(c.Beta1), new Vector<float>(c.OneMinusBeta1));
                var (beta2, oneMinusBeta2) = (new Vector<float>(c.Beta2), new Vector<float>(c.OneMinusBeta2));
                var (correction2, negativeStep) = (new Vector<float>(c.BiasCorrection2Sqrt), new Vector<float>(c.NegativeStepSize));
                var (epsilon, scale) = (new Vector<float>(c.Epsilon), new Vector<float>(c.GradientScale));
                for (; i <= length - width; i += width)
                {
                    var gi = Vector.Load(g + i) * scale;
                    var mi = Vector.Load(m + i) * beta1 + oneMinusBeta1 * gi;
                    var vi = Vector.Load(v + i) * beta2 + oneMinusBeta2 * gi * gi;
                    var denominator = Vector.SquareRoot(vi) / correction2 + epsilon;
                    var pi = Vector.Load(p + i) * decay + negativeStep * mi / denominator;
                    mi.Store(m + i);
                    vi.Store(v + i);
                    pi.Store(p + i);
                }
            }
            // The same operations in the same order, so an element's result does not depend on where its chunk starts.
            for (; i < length; i++)
            {
                var gi = g[i] * c.GradientScale;
                var mi = m[i] * c.Beta1 + c.OneMinusBeta1 * gi;
                var vi = v[i] * c.Beta2 + c.OneMinusBeta2 * gi * gi;
                var denominator = MathF.Sqrt(vi) / c.BiasCorrection2Sqrt + c.Epsilon;
                p[i] = p[i] * c.Decay + c.NegativeStepSize * mi / denominator;
                m[i] = mi;
                v[i] = vi;
            }
        }
    }
}

/// <summary>Parameters that share a weight decay (BERT: the weight matrices decay, biases and LayerNorm do not).</summary>
public sealed record AdamWGroup(IReadOnlyList<(string Name, Parameter Parameter)> Parameters, double WeightDecay);
