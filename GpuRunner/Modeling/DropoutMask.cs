using System.Numerics;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>
/// Dropout's scaled keep-mask for CPU tensors: each element is 0 with probability p and 1/(1 − p) otherwise, the
/// factor torch's dropout multiplies by. torch draws the mask with its Bernoulli sampler, which on two CPU cores took
/// about 6 ms for one [8,128,768] activation and more than a tenth of an mBERT training step in all. Here each element's
/// draw is a keyed hash of its index (two rounds of a 32-bit integer hash, each a bijection), so the mask is filled in
/// one SIMD pass split over the cores, and the same key always gives the same mask. The key comes from torch's default
/// generator, so <c>manual_seed</c> still fixes every mask of a run.
/// </summary>
public static class DropoutMask
{
    /// <summary>Elements per unit of parallel work.</summary>
    private const int ChunkElements = 1 << 16;

    /// <summary>The hash's 32 bits keep 24, as many as a float32 uniform in [0, 1) has: an element drops when they fall below p·2²⁴.</summary>
    private const int ProbabilityBits = 24;

    /// <summary>A float32 mask of <paramref name="shape"/> on the CPU, keyed from torch's default generator.</summary>
    public static Tensor Scaled(long[] shape, double probability)
    {
        using var draw = randint(long.MaxValue, [1], dtype: ScalarType.Int64);
        return Scaled(shape, probability, (ulong)draw.item<long>());
    }

    /// <summary>A float32 mask of <paramref name="shape"/> on the CPU, drawn from <paramref name="key"/>.</summary>
    public static unsafe Tensor Scaled(long[] shape, double probability, ulong key)
    {
        Checked(probability);
        var mask = empty(shape, ScalarType.Float32);
        var count = mask.numel();
        if (count > uint.MaxValue) throw new ArgumentException($"A dropout mask of {count} elements exceeds the 2³² its hash can index.", nameof(shape));
        var draw = new Draw(probability, key);
        var storage = TensorStorage.Floats(mask);
        var chunks = (int)((count + ChunkElements - 1) / ChunkElements);
        if (chunks <= 1) draw.Fill(storage, 0, (int)count);
        else
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, chunk =>
            {
                var start = (long)chunk * ChunkElements;
                draw.Fill(storage, start, (int)Math.Min(ChunkElements, count - start));
            });
        return mask;
    }

    /// <summary><paramref name="probability"/> itself, when it lies in [0, 1].</summary>
    public static double Checked(double probability) => probability is >= 0 and <= 1
        ? probability
        : throw new ArgumentOutOfRangeException(nameof(probability), probability, "A dropout probability lies in [0, 1].");

    private readonly unsafe struct Draw
    {
        private readonly uint threshold, key0, key1;
        private readonly float scale;

        public Draw(double probability, ulong key)
        {
            threshold = (uint)Math.Round(probability * (1 << ProbabilityBits));
            // torch multiplies the kept elements by 1/(1 − p), and by 0 when p is 1 (nothing is kept then anyway).
            scale = probability >= 1 ? 0f : (float)(1.0 / (1.0 - probability));
            (key0, key1) = ((uint)key, (uint)(key >> 32));
        }

        public void Fill(float* mask, long start, int length)
        {
            var output = mask + start;
            var first = (uint)start;
            var i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var width = Vector<uint>.Count;
                Span<uint> lanes = stackalloc uint[width];
                for (var lane = 0; lane < width; lane++) lanes[lane] = (uint)lane;
                var offsets = new Vector<uint>(lanes);
                var (k0, k1) = (new Vector<uint>(key0), new Vector<uint>(key1));
                var limit = new Vector<int>((int)threshold);
                var (kept, dropped) = (new Vector<float>(scale), Vector<float>.Zero);
                for (; i <= length - width; i += width)
                {
                    var index = new Vector<uint>(first + (uint)i) + offsets;
                    var bits = Vector.ShiftRightLogical(Mix(Mix(index + k0) ^ k1), 32 - ProbabilityBits);
                    // Below 2²⁴ both sides are non-negative as signed integers, which AVX2 compares natively.
                    var drop = Vector.LessThan(Vector.AsVectorInt32(bits), limit);
                    Vector.ConditionalSelect(drop, dropped, kept).Store(output + i);
                }
            }
            // The same draw element by element, so an element's value does not depend on where its chunk starts.
            for (; i < length; i++)
            {
                var bits = Mix(Mix(first + (uint)i + key0) ^ key1) >> (32 - ProbabilityBits);
                output[i] = bits < threshold ? 0f : scale;
            }
        }

        // Chris Wellons' "lowbias32" integer hash: xor-shifts and odd multipliers, each step invertible.
        private static uint Mix(uint x)
        {
            x ^= x >> 16;
            x *= 0x21f0aaad;
            x ^= x >> 15;
            x *= 0x735a2d97;
            return x ^ (x >> 15);
        }

        private static Vector<uint> Mix(Vector<uint> x)
        {
            x ^= Vector.ShiftRightLogical(x, 16);
            x *= new Vector<uint>(0x21f0aaad);
            x ^= Vector.ShiftRightLogical(x, 15);
            x *= new Vector<uint>(0x735a2d97);
            return x ^ Vector.ShiftRightLogical(x, 15);
        }
    }
}
