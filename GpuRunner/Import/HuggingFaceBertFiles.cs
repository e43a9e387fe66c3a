using System.Text.Json;
using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Modeling;

namespace BertPlatform.GpuRunner.Import;

/// <summary>Writes the files of a Hugging Face <c>BertModel</c> checkpoint directory from an imported mapping.</summary>
internal static class HuggingFaceBertFiles
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A <c>BertModel</c> config.json; dropout and initializer range are training settings the graph
    /// cannot carry, so they keep BERT's defaults.</summary>
    public static void WriteConfig(string path, BertGraphSizes sizes, int padTokenId) =>
        new BertConfig
        {
            Architectures = ["BertModel"],
            VocabSize = sizes.VocabSize,
            HiddenSize = sizes.HiddenSize,
            NumHiddenLayers = sizes.NumHiddenLayers,
            NumAttentionHeads = sizes.NumAttentionHeads,
            IntermediateSize = sizes.IntermediateSize,
            HiddenAct = "gelu",
            MaxPositionEmbeddings = sizes.MaxPositionEmbeddings,
            TypeVocabSize = sizes.TypeVocabSize,
            LayerNormEps = sizes.LayerNormEps,
            PadTokenId = padTokenId,
        }.Save(path);

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
