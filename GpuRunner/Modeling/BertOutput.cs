using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>What a task model returns; fields a head does not produce stay null.</summary>
public sealed class BertOutput
{
    /// <summary>The training loss (0-d) when labels were given.</summary>
    public Tensor? Loss { get; init; }
    /// <summary>
    /// seqcls [B,L]; tokcls [B,T,L]; mc [B,C]; masked LM / pre-training prediction scores [B,T,V], or in training with
    /// labels [N,V] for the N labelled positions only (<see cref="LabelledPositions"/>).
    /// </summary>
    public Tensor? Logits { get; init; }
    /// <summary>Pre-training NSP logits [B,2].</summary>
    public Tensor? SeqRelationshipLogits { get; init; }
    /// <summary>QA [B,T].</summary>
    public Tensor? StartLogits { get; init; }
    public Tensor? EndLogits { get; init; }
    public Tensor? MlmLoss { get; init; }
    public Tensor? NspLoss { get; init; }
    /// <summary>[B,T,H] encoder output.</summary>
    public Tensor? LastHiddenState { get; init; }
    /// <summary>[B,H] pooled [CLS] representation, for heads whose encoder has a pooler.</summary>
    public Tensor? PoolerOutput { get; init; }
}
