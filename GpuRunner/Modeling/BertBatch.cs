using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>One model input: ids, segments, mask and whichever labels the head uses (null for inference).</summary>
public sealed class BertBatch
{
    /// <summary>[B,T] token ids ([B,C,T] for multiple choice).</summary>
    public required Tensor InputIds { get; init; }
    public Tensor? TokenTypeIds { get; init; }
    public Tensor? AttentionMask { get; init; }
    /// <summary>seqcls [B] long (or [B,L] float multi-label, [B] float regression); tokcls [B,T]; mc [B]; pre-training MLM labels [B,T] with -100.</summary>
    public Tensor? Labels { get; init; }
    /// <summary>Pre-training NSP labels [B] (0 = is next, 1 = random).</summary>
    public Tensor? NextSentenceLabels { get; init; }
    /// <summary>QA answer start/end token positions [B].</summary>
    public Tensor? StartPositions { get; init; }
    public Tensor? EndPositions { get; init; }
}
