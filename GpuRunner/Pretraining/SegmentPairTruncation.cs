using System.Runtime.InteropServices;

namespace BertPlatform.GpuRunner.Pretraining;

/// <summary>
/// Google's <c>truncate_seq_pair</c>: while the pair is too long, drop one token from the longer segment
/// (B on ties), from its front or its back with equal chance so neither end is systematically lost.
/// </summary>
public static class SegmentPairTruncation
{
    public static (int[] TokensA, int[] TokensB) Truncate(List<int> tokensA, List<int> tokensB, int maxNumTokens,
        PretrainingRandom random)
    {
        if (maxNumTokens < 2)
            throw new ArgumentOutOfRangeException(nameof(maxNumTokens), maxNumTokens,
                "Two segments need a budget of at least two tokens.");
        if (tokensA.Count == 0 || tokensB.Count == 0)
            throw new ArgumentException(
                $"Both segments must be non-empty (A has {tokensA.Count} tokens, B has {tokensB.Count}).");

        // Moving window ends instead of deleting list heads keeps a huge random segment linear to trim.
        int aStart = 0, aEnd = tokensA.Count, bStart = 0, bEnd = tokensB.Count;
        while ((aEnd - aStart) + (bEnd - bStart) > maxNumTokens)
        {
            var truncateA = aEnd - aStart > bEnd - bStart;
            var fromFront = random.NextDouble() < 0.5;
            if (truncateA)
            {
                if (fromFront) aStart++; else aEnd--;
            }
            else
            {
                if (fromFront) bStart++; else bEnd--;
            }
        }
        return (CollectionsMarshal.AsSpan(tokensA)[aStart..aEnd].ToArray(),
            CollectionsMarshal.AsSpan(tokensB)[bStart..bEnd].ToArray());
    }
}
