using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Modeling;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Import;

/// <summary>Writes the files of a Hugging Face <c>BertModel</c> checkpoint directory from an imported mapping.</summary>
internal static class HuggingFaceBertFiles
{
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

    /// <summary>One token per line, id = line number, <c>\n</c> endings whatever the source used.</summary>
    public static void WriteVocabulary(string path, IReadOnlyList<string> tokens) =>
        File.WriteAllText(path, string.Concat(tokens.Select(t => t + "\n")));

    /// <summary>model.safetensors with Hugging Face names and transformers' metadata.</summary>
    public static void WriteWeights(string path, BertGraphMapping mapping)
    {
        using var scope = NewDisposeScope();
        var tensors = mapping.Tensors.Select(t => (t.Name, tensor(t.ToFloats()).reshape(t.Shape))).ToList();
        SafetensorsFile.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
    }
}
