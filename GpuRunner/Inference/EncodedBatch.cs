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

    /// <summary>[Q,C,T] for Q multiple-choice questions with C choices each.</summary>
    public static BertBatch Choices(IReadOnlyList<IReadOnlyList<BertEncoding>> questions, int padTokenId, Device device)
    {
        var choiceCount = questions[0].Count;
        if (questions.Any(q => q.Count != choiceCount)) throw new ArgumentException("Every question of a batch must have the same number of choices.", nameof(questions));
        var flat = From(questions.SelectMany(q => q).ToList(), padTokenId, device);   // [Q*C,T]
        long[] shape = [questions.Count, choiceCount, -1];
        return new BertBatch
        {
            InputIds = flat.InputIds.view(shape),
            TokenTypeIds = flat.TokenTypeIds!.view(shape),
            AttentionMask = flat.AttentionMask!.view(shape),
        };
    }
}
