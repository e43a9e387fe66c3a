using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>
/// Writes a randomly initialised BertForPreTraining checkpoint in the Hugging Face layout: the starting point
/// for from-scratch pre-training, and the small self-made base model of tests and offline demos.
/// </summary>
public static class BaseModelFactory
{
    public static void Create(string outputDirectory, BertConfig config, string vocabularyPath, BertTokenizerSettings tokenizerSettings, int seed)
    {
        var vocabulary = File.ReadLines(vocabularyPath).Count();
        if (vocabulary != config.VocabSize)
            throw new ArgumentException($"The vocabulary {vocabularyPath} has {vocabulary} tokens but the configuration asks for {config.VocabSize}.");
        var staging = outputDirectory.TrimEnd('/') + ".staging";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        random.manual_seed(seed);
        config.Architectures = ["BertForPreTraining"];
        using (var model = BertModels.Create(config, "BertForPreTraining"))
            HuggingFaceCheckpoint.Save(model, staging);
        File.Copy(vocabularyPath, Path.Combine(staging, "vocab.txt"));
        tokenizerSettings.Save(Path.Combine(staging, "tokenizer_config.json"));
        if (Directory.Exists(outputDirectory)) Directory.Delete(outputDirectory, recursive: true);
        Directory.Move(staging, outputDirectory);
    }
}
