namespace BertPlatform.GpuRunner.Tasks;

/// <summary>
/// The validation hold-out of a training file read as a stream (too large to shuffle in memory): a row is held out
/// when a seeded hash of its index falls under the share, among the first <see cref="Window"/> rows only, so the
/// held-out set stays at about <c>maxExamples</c> however large the file is and is read without a pass over all of it.
/// Which rows are held out depends on the seed and the row index alone, so every epoch and a resumed run agree.
/// </summary>
public sealed class StreamedHoldOut(double share, int seed, int maxExamples = StreamedHoldOut.DefaultMaxExamples)
{
    public const int DefaultMaxExamples = 10_000;

    /// <summary>Rows among which the hold-out is drawn.</summary>
    public long Window { get; } = (long)Math.Ceiling(maxExamples / share);

    public bool IsHeldOut(long row) => row < Window && Fraction(row) < share;

    /// <summary>Held-out rows of a file of <paramref name="rows"/> rows, without reading it.</summary>
    public long HeldOutAmong(long rows)
    {
        var heldOut = 0L;
        for (var row = 0L; row < Math.Min(rows, Window); row++)
            if (IsHeldOut(row)) heldOut++;
        return heldOut;
    }

    /// <summary>SplitMix64 of seed and row, as a fraction in [0, 1).</summary>
    private double Fraction(long row)
    {
        var z = unchecked((ulong)row + 0x9E3779B97F4A7C15UL * (ulong)(uint)seed + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
