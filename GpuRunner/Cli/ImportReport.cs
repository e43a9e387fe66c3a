using BertPlatform.GpuRunner.Import;

namespace BertPlatform.GpuRunner.Cli;

/// <summary>Runs an import and prints what it found, or why the graph was refused (exit code 1).</summary>
internal static class ImportReport
{
    public static int Run(Func<BertGraphMapping> import, string output)
    {
        try
        {
            var mapping = import();
            var s = mapping.Sizes;
            Console.WriteLine(
                $"Imported {mapping.Tensors.Count} tensors into {Path.GetFullPath(output)}: {s.NumHiddenLayers} layers, hidden {s.HiddenSize}, " +
                $"{s.NumAttentionHeads} heads, intermediate {s.IntermediateSize}, vocab {s.VocabSize}, positions {s.MaxPositionEmbeddings}, " +
                $"token types {s.TypeVocabSize}, layer_norm_eps {s.LayerNormEps:G}, pooler {(s.HasPooler ? "yes" : "no")}.");
            return 0;
        }
        catch (Exception e) when (e is OnnxImportException or IOException)
        {
            Console.Error.WriteLine($"import failed: {e.Message}");
            return 1;
        }
    }
}
