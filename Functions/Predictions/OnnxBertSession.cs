using BertPlatform.Shared.Inference;
using BertPlatform.Shared.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace BertPlatform.Functions.Predictions;

/// <summary>
/// A published model loaded for inference: its ONNX Runtime session (CPU), tokenizer and config. Encodings are
/// right-padded to the longest, as the runner pads them, and fed as <c>input_ids</c>, <c>attention_mask</c>,
/// <c>token_type_ids</c>.
/// </summary>
public sealed class OnnxBertSession(InferenceSession session, BertTextTokenizer tokenizer, PublishedModelConfig config, long bytes) : IBertInference, IDisposable
{
    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];

    public BertTextTokenizer Tokenizer { get; } = tokenizer;

    public PublishedModelConfig Config { get; } = config;

    /// <summary>The size of model.onnx, what the cache counts against its bound.</summary>
    public long Bytes { get; } = bytes;

    public int MaxLength => Math.Min(Tokenizer.Settings.ModelMaxLength, Config.MaxPositionEmbeddings);

    public (Dictionary<string, float[]> Outputs, int Tokens) Run(IReadOnlyList<IReadOnlyList<BertEncoding>> groups, bool choices, params string[] outputNames)
    {
        var tokens = groups.SelectMany(g => g).Max(e => e.Length);
        var perGroup = groups[0].Count;
        if (groups.Any(g => g.Count != perGroup)) throw new ArgumentException("Every row needs the same number of choices.", nameof(groups));
        var rows = groups.SelectMany(g => g).ToList();
        var ids = new long[rows.Count * tokens];
        var mask = new long[ids.Length];
        var types = new long[ids.Length];
        Array.Fill(ids, Tokenizer.PadTokenId);
        for (var r = 0; r < rows.Count; r++)
            for (var t = 0; t < rows[r].Length; t++)
            {
                ids[r * tokens + t] = rows[r].InputIds[t];
                mask[r * tokens + t] = rows[r].AttentionMask[t];
                types[r * tokens + t] = rows[r].TokenTypeIds[t];
            }
        long[] shape = choices ? [groups.Count, perGroup, tokens] : [rows.Count, tokens];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, InputNames, [idsValue, maskValue, typesValue], outputNames);
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < outputNames.Length; i++) result[outputNames[i]] = outputs[i].GetTensorDataAsSpan<float>().ToArray();
        return (result, tokens);
    }

    public void Dispose() => session.Dispose();
}
