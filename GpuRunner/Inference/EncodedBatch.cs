using BertPlatform.GpuRunner.Modeling;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Inference;

/// <summary>Tokenizer encodings as model input tensors, padded as training pads (<see cref="Padding"/>).</summary>
public static class EncodedBatch
{
    /// <summary>[B,T] ids, segments and mask, right-padded with <paramref name="padTokenId"/> to the longest encoding.</summary>
    public static BertBatch From(IReadOnlyList<BertEncoding> encodings, int padTokenId, Device device) => new()
    {
        InputIds = Padding.Stack(encodings.Select(e => e.InputIds).ToArray(), padTokenId, device),
        TokenTypeIds = Padding.Stack(encodings.Select(e => e.TokenTypeIds).ToArray(), 0, device),
        AttentionMask = Padding.Stack(encodings.Select(e => e.AttentionMask).ToArray(), 0, device),
    };

    /// <summary>[1,C,T] for the choices of one multiple-choice question.</summary>
    public static BertBatch Choices(IReadOnlyList<BertEncoding> choices, int padTokenId, Device device)
    {
        var batch = From(choices, padTokenId, device);
        return new BertBatch
        {
            InputIds = batch.InputIds.unsqueeze(0),
            TokenTypeIds = batch.TokenTypeIds!.unsqueeze(0),
            AttentionMask = batch.AttentionMask!.unsqueeze(0),
        };
    }
}
