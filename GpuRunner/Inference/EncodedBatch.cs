using BertPlatform.GpuRunner.Modeling;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Inference;

/// <summary>Pads tokenizer encodings to a common length and turns them into model input tensors.</summary>
public static class EncodedBatch
{
    /// <summary>[B,T] ids, segments and mask, right-padded with <paramref name="padTokenId"/> to the longest encoding.</summary>
    public static BertBatch From(IReadOnlyList<BertEncoding> encodings, int padTokenId, Device device)
    {
        var (ids, types, mask, length) = Pad(encodings, padTokenId);
        long[] shape = [encodings.Count, length];
        return new BertBatch
        {
            InputIds = tensor(ids, shape, device: device),
            TokenTypeIds = tensor(types, shape, device: device),
            AttentionMask = tensor(mask, shape, device: device),
        };
    }

    /// <summary>[Q,C,T] for Q multiple-choice questions with C choices each.</summary>
    public static BertBatch Choices(IReadOnlyList<IReadOnlyList<BertEncoding>> questions, int padTokenId, Device device)
    {
        var choiceCount = questions[0].Count;
        if (questions.Any(q => q.Count != choiceCount)) throw new ArgumentException("Every question of a batch must have the same number of choices.", nameof(questions));
        var (ids, types, mask, length) = Pad(questions.SelectMany(q => q).ToList(), padTokenId);
        long[] shape = [questions.Count, choiceCount, length];
        return new BertBatch
        {
            InputIds = tensor(ids, shape, device: device),
            TokenTypeIds = tensor(types, shape, device: device),
            AttentionMask = tensor(mask, shape, device: device),
        };
    }

    private static (long[] Ids, long[] Types, long[] Mask, int Length) Pad(IReadOnlyList<BertEncoding> encodings, int padTokenId)
    {
        var length = encodings.Max(e => e.Length);
        var ids = new long[encodings.Count * length];
        var types = new long[ids.Length];
        var mask = new long[ids.Length];
        Array.Fill(ids, padTokenId);
        for (var row = 0; row < encodings.Count; row++)
        {
            var e = encodings[row];
            for (var t = 0; t < e.Length; t++)
            {
                ids[row * length + t] = e.InputIds[t];
                types[row * length + t] = e.TokenTypeIds[t];
                mask[row * length + t] = e.AttentionMask[t];
            }
        }
        return (ids, types, mask, length);
    }
}
