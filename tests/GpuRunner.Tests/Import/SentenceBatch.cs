using BertPlatform.Shared.Tokenization;

namespace BertPlatform.GpuRunner.Tests.Import;

/// <summary>Real English sentences of different lengths tokenized for MiniLM (uncased WordPiece), padded to one
/// length: row-major <c>[batch, tokens]</c> arrays, as both ONNX Runtime and TorchSharp take them.</summary>
internal sealed record SentenceBatch(int Batch, int Tokens, long[] InputIds, long[] AttentionMask, long[] TokenTypeIds)
{
    public static readonly string[] Sentences =
    [
        "The quick brown fox jumps over the lazy dog.",
        "Fine-tuning a pretrained encoder usually beats training from scratch when labeled data is scarce.",
        "I loved this movie!",
        "Café prices in Zürich rose by 12% last year, économistes say.",
        "A",
    ];

    /// <summary>Encodes <see cref="Sentences"/> with [CLS]/[SEP] and right padding to the longest.</summary>
    public static SentenceBatch Encode(BertTextTokenizer tokenizer)
    {
        var encoded = Sentences.Select(s => tokenizer.Encode(s).InputIds).ToList();
        var tokens = encoded.Max(e => e.Count);
        var ids = new long[Sentences.Length * tokens];
        var mask = new long[ids.Length];
        for (var b = 0; b < encoded.Count; b++)
            for (var t = 0; t < tokens; t++)
            {
                ids[b * tokens + t] = t < encoded[b].Count ? encoded[b][t] : tokenizer.PadTokenId;
                mask[b * tokens + t] = t < encoded[b].Count ? 1 : 0;
            }
        return new SentenceBatch(Sentences.Length, tokens, ids, mask, new long[ids.Length]);
    }
}
