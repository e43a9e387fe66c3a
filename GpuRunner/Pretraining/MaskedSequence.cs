namespace BertPlatform.GpuRunner.Pretraining;

/// <summary>
/// A sequence after masked-LM corruption: the ids the model reads, the original id at each predicted position
/// (<see cref="PretrainingInstance.NotPredicted"/> elsewhere), and those positions in ascending order.
/// </summary>
public sealed record MaskedSequence(int[] InputIds, int[] Labels, int[] Positions);
