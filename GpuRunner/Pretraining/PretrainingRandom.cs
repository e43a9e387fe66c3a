namespace BertPlatform.GpuRunner.Pretraining;

/// <summary>
/// The seeded random source of pre-training data creation (xoshiro256**, seeded through SplitMix64). It is written
/// out here rather than taken from <see cref="System.Random"/> because .NET does not promise that a seeded
/// <c>Random</c> yields the same sequence across runtime versions, and a seed must reproduce the same instances
/// wherever a job is resumed. Methods mirror Python's <c>random</c> calls used by Google's
/// <c>create_pretraining_data.py</c> so the port reads line for line.
/// </summary>
public sealed class PretrainingRandom
{
    private ulong s0, s1, s2, s3;

    public PretrainingRandom(long seed)
    {
        var state = unchecked((ulong)seed);
        s0 = SplitMix64(ref state);
        s1 = SplitMix64(ref state);
        s2 = SplitMix64(ref state);
        s3 = SplitMix64(ref state);
    }

    /// <summary>Python <c>random.random()</c>: uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Python <c>random.randint(a, b)</c>: uniform over both ends inclusive, without modulo bias.</summary>
    public int NextInt(int minInclusive, int maxInclusive)
    {
        if (maxInclusive < minInclusive)
            throw new ArgumentOutOfRangeException(nameof(maxInclusive),
                $"The range [{minInclusive}, {maxInclusive}] is empty.");
        var range = (ulong)((long)maxInclusive - minInclusive) + 1;
        // Values below 2^64 mod range would make the low residues more likely; redraw them.
        var threshold = unchecked(0UL - range) % range;
        while (true)
        {
            var draw = NextUInt64();
            if (draw >= threshold) return (int)(minInclusive + (long)(draw % range));
        }
    }

    /// <summary>Python <c>random.shuffle</c>: Fisher-Yates in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = NextInt(0, i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    public ulong NextUInt64()
    {
        var result = BitRotate(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = BitRotate(s3, 45);
        return result;
    }

    private static ulong BitRotate(ulong value, int bits) => (value << bits) | (value >> (64 - bits));

    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
