using BertPlatform.Shared.Tokenization;

namespace BertPlatform.GpuRunner.Import;

/// <summary>
/// Turns a BERT encoder exported to ONNX into a Hugging Face <c>BertModel</c> directory (config.json, vocab.txt,
/// tokenizer_config.json, model.safetensors) that the platform can fine-tune as a base model.
/// </summary>
public static class OnnxBertImporter
{
    public static BertGraphMapping Import(string onnxPath, string vocabPath, string outputDirectory, BertTokenizerSettings tokenizer) =>
        Import(OnnxModelReader.Read(onnxPath), ReadVocabulary(vocabPath), outputDirectory, tokenizer);

    /// <summary>
    /// Maps the graph completely before writing anything, writes into a staging directory beside
    /// <paramref name="outputDirectory"/> and moves it into place last, so a failure leaves no output directory.
    /// The tokenizer's maximum length is capped at the position table's size.
    /// </summary>
    public static BertGraphMapping Import(OnnxGraph graph, IReadOnlyList<string> vocabulary, string outputDirectory, BertTokenizerSettings tokenizer)
    {
        var mapping = BertGraphMapper.Map(graph);
        CheckVocabulary(vocabulary, mapping.Sizes.VocabSize);
        var target = Path.GetFullPath(outputDirectory);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new IOException($"Output directory '{target}' already exists and is not empty; choose a new directory.");
        if (File.Exists(target)) throw new IOException($"Output path '{target}' is a file.");

        var parent = Path.GetDirectoryName(target) ?? throw new IOException($"Output directory '{target}' has no parent.");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.importing-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var padTokenId = Math.Max(0, vocabulary.ToList().IndexOf(SpecialTokens.Padding));
            HuggingFaceBertFiles.WriteConfig(Path.Combine(staging, "config.json"), mapping.Sizes, padTokenId);
            HuggingFaceBertFiles.WriteVocabulary(Path.Combine(staging, BertTextTokenizer.VocabularyFileName), vocabulary);
            var settings = tokenizer with { ModelMaxLength = Math.Min(tokenizer.ModelMaxLength, mapping.Sizes.MaxPositionEmbeddings) };
            settings.Save(Path.Combine(staging, BertTokenizerSettings.FileName));
            // The platform's tokenizer must accept what was written before the directory counts as imported.
            BertTextTokenizer.Load(staging);
            HuggingFaceBertFiles.WriteWeights(Path.Combine(staging, "model.safetensors"), mapping);
            if (Directory.Exists(target)) Directory.Delete(target);
            Directory.Move(staging, target);
        }
        catch
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            throw;
        }
        return mapping;
    }

    public static IReadOnlyList<string> ReadVocabulary(string vocabPath)
    {
        if (!File.Exists(vocabPath)) throw new FileNotFoundException($"Vocabulary file '{vocabPath}' does not exist.", vocabPath);
        return ParseVocabulary(File.ReadAllText(vocabPath));
    }

    /// <summary>One token per line; <c>\r\n</c> endings (as in the MiniLM package) are accepted.</summary>
    public static IReadOnlyList<string> ParseVocabulary(string text)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    private static void CheckVocabulary(IReadOnlyList<string> vocabulary, int embeddingRows)
    {
        if (vocabulary.Count == 0) throw new OnnxImportException("The vocabulary is empty.");
        // More tokens than embedding rows would produce ids the model cannot look up; fewer is allowed (HF pads vocabularies).
        if (vocabulary.Count > embeddingRows)
            throw new OnnxImportException(
                $"The vocabulary has {vocabulary.Count} tokens but the word embedding table has {embeddingRows} rows.");
        var missing = SpecialTokens.All.Where(t => !vocabulary.Contains(t)).ToList();
        if (missing.Count > 0)
            throw new OnnxImportException($"The vocabulary lacks the special token(s) {string.Join(", ", missing)} a BERT tokenizer needs.");
    }
}
