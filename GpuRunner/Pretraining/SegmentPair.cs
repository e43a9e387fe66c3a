namespace BertPlatform.GpuRunner.Pretraining;

/// <summary>
/// Segments A and B of one next-sentence example before special tokens and masking; each is non-empty and
/// together they fit the length budget.
/// </summary>
public sealed record SegmentPair(int[] TokensA, int[] TokensB, bool IsRandomNext);
