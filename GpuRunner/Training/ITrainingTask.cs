using BertPlatform.GpuRunner.Modeling;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Training;

/// <summary>A tokenized training or evaluation example, ready to batch.</summary>
public interface ISequenceFeature
{
    /// <summary>Tokens in the (longest) sequence; batches pad to their longest member, and similar lengths are grouped.</summary>
    int Length { get; }
}

/// <summary>What the trainer needs from a task: how to batch its features and how to score predictions.</summary>
public interface ITrainingTask<TFeature> where TFeature : ISequenceFeature
{
    /// <summary>Pads the features to the batch's longest and stacks them, labels included.</summary>
    BertBatch Collate(IReadOnlyList<TFeature> features, Device device);

    /// <summary>Starts collecting model outputs over an evaluation pass.</summary>
    ITaskEvaluation<TFeature> BeginEvaluation();
}

/// <summary>Accumulates one evaluation pass, batch by batch, then computes the task's metrics.</summary>
public interface ITaskEvaluation<TFeature>
{
    /// <summary>Called inside the batch's dispose scope: copy what is needed out of the tensors.</summary>
    void Add(IReadOnlyList<TFeature> features, BertOutput output);

    IReadOnlyDictionary<string, double> Complete();
}
