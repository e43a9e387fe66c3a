using BertPlatform.GpuRunner.Import;
using Microsoft.ML.Tokenizers;

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

    public static SentenceBatch Encode(IReadOnlyList<string> vocabulary)
    {
        // Uncased vocabulary: lower-case and strip accents, as HF's do_lower_case=True does.
        using var vocab = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Concat(vocabulary.Select(t => t + "\n"))));
        var tokenizer = BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
        var encoded = Sentences.Select(s => tokenizer.EncodeToIds(s, addSpecialTokens: true, considerPreTokenization: true, considerNormalization: true)).ToList();
        var tokens = encoded.Max(e => e.Count);
        var ids = new long[Sentences.Length * tokens];
        var mask = new long[ids.Length];
        for (var b = 0; b < encoded.Count; b++)
            for (var t = 0; t < encoded[b].Count; t++)
            {
                ids[b * tokens + t] = encoded[b][t];
                mask[b * tokens + t] = 1;
            }
        return new SentenceBatch(Sentences.Length, tokens, ids, mask, new long[ids.Length]);
    }

    public static SentenceBatch EncodeForMiniLm() => Encode(MiniLmPackage.ReadVocabulary());
}
