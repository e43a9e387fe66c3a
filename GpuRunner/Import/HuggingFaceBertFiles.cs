using System.Text.Json;
using System.Text.Json.Nodes;

namespace BertPlatform.GpuRunner.Import;

/// <summary>Writes the files of a Hugging Face <c>BertModel</c> checkpoint directory from an imported mapping.</summary>
internal static class HuggingFaceBertFiles
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void WriteConfig(string path, BertGraphSizes sizes, int padTokenId)
    {
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray("BertModel"),
            ["model_type"] = "bert",
            ["vocab_size"] = sizes.VocabSize,
            ["hidden_size"] = sizes.HiddenSize,
            ["num_hidden_layers"] = sizes.NumHiddenLayers,
            ["num_attention_heads"] = sizes.NumAttentionHeads,
            ["intermediate_size"] = sizes.IntermediateSize,
            ["hidden_act"] = "gelu",
            // Dropout and init range are training settings the graph cannot carry; these are BERT's defaults.
            ["hidden_dropout_prob"] = 0.1,
            ["attention_probs_dropout_prob"] = 0.1,
            ["initializer_range"] = 0.02,
            ["max_position_embeddings"] = sizes.MaxPositionEmbeddings,
            ["type_vocab_size"] = sizes.TypeVocabSize,
            ["layer_norm_eps"] = sizes.LayerNormEps,
            ["pad_token_id"] = padTokenId,
            ["position_embedding_type"] = "absolute",
        };
        File.WriteAllText(path, config.ToJsonString(Indented) + "\n");
    }

    public static void WriteTokenizerConfig(string path, bool doLowerCase, int modelMaxLength)
    {
        var config = new JsonObject
        {
            ["tokenizer_class"] = "BertTokenizer",
            ["do_lower_case"] = doLowerCase,
            // null: HF strips accents exactly when it lower-cases, which is what uncased vocabularies expect.
            ["strip_accents"] = null,
            ["tokenize_chinese_chars"] = true,
            ["model_max_length"] = modelMaxLength,
            ["unk_token"] = "[UNK]",
            ["sep_token"] = "[SEP]",
            ["pad_token"] = "[PAD]",
            ["cls_token"] = "[CLS]",
            ["mask_token"] = "[MASK]",
        };
        File.WriteAllText(path, config.ToJsonString(Indented) + "\n");
    }

    /// <summary>One token per line, id = line number, <c>\n</c> endings whatever the source used.</summary>
    public static void WriteVocabulary(string path, IReadOnlyList<string> tokens) =>
        File.WriteAllText(path, string.Concat(tokens.Select(t => t + "\n")));

    public static void WriteWeights(string path, BertGraphMapping mapping) =>
        SafetensorsWriter.Write(
            path,
            mapping.Tensors.Select(t => (t.Name, t.Shape, t.ToFloats())).ToList(),
            new Dictionary<string, string> { ["format"] = "pt" });
}
