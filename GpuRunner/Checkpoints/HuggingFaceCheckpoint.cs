using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Modeling;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Checkpoints;

/// <summary>Reads and writes models in the Hugging Face directory layout (config.json + model.safetensors | pytorch_model.bin).</summary>
public static class HuggingFaceCheckpoint
{
    public const string ConfigFile = "config.json";
    public const string SafetensorsFileName = "model.safetensors";
    public const string SafetensorsIndexFile = "model.safetensors.index.json";
    public const string PytorchFile = "pytorch_model.bin";

    /// <summary>
    /// Builds the model named by <paramref name="architecture"/> (default: config.json's first architecture) with
    /// transformers' fresh initialisation, then loads every matching weight. <paramref name="configure"/> may change
    /// the configuration first (labels, problem type, dropout).
    /// </summary>
    public static (BertTaskModel Model, LoadReport Report) FromPretrained(string directory, string? architecture = null, Action<BertConfig>? configure = null)
    {
        var config = BertConfig.Load(Path.Combine(directory, ConfigFile));
        configure?.Invoke(config);
        architecture ??= config.Architectures?.FirstOrDefault(BertModels.Architectures.Contains)
            ?? throw new InvalidDataException(
                $"{Path.Combine(directory, ConfigFile)} names no supported architecture ({string.Join(", ", config.Architectures ?? [])}); pass one of {string.Join(", ", BertModels.Architectures)}.");
        var model = BertModels.Create(config, architecture);
        try
        {
            return (model, LoadWeights(model, directory));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Loads model.safetensors (or its sharded index) or else pytorch_model.bin into <paramref name="model"/>.</summary>
    public static LoadReport LoadWeights(BertTaskModel model, string directory)
    {
        var raw = ReadWeights(directory);
        var modelState = model.state_dict();
        var modelKeys = modelState.Keys.ToHashSet(StringComparer.Ordinal);
        var weights = CheckpointKeys.Normalize(raw, modelKeys);
        try
        {
            foreach (var (name, tensor) in weights)
            {
                if (!modelState.TryGetValue(name, out var target)) continue;
                if (!target.shape.SequenceEqual(tensor.shape))
                    throw new InvalidDataException(
                        $"Checkpoint tensor '{name}' in {directory} has shape [{string.Join(", ", tensor.shape)}] but the model expects [{string.Join(", ", target.shape)}].");
            }
            using (no_grad())
            {
                foreach (var (name, tensor) in weights)
                    if (modelState.TryGetValue(name, out var target)) target.copy_(tensor);
            }
            return new LoadReport(
                MissingKeys: modelState.Keys.Where(k => !weights.ContainsKey(k)).ToList(),
                UnexpectedKeys: weights.Keys.Where(k => !modelKeys.Contains(k)).ToList());
        }
        finally
        {
            foreach (var tensor in weights.Values) tensor.Dispose();
        }
    }

    /// <summary>
    /// Writes config.json (architectures = the model's class) and model.safetensors with transformers' names and
    /// metadata {"format":"pt"}; the tied decoder weight is not written, as transformers omits it.
    /// </summary>
    public static void Save(BertTaskModel model, string directory)
    {
        Directory.CreateDirectory(directory);
        var config = model.Config.Clone();
        config.Architectures = [model.Architecture];
        config.Save(Path.Combine(directory, ConfigFile));
        var tensors = model.state_dict().Select(kv => (kv.Key, kv.Value)).ToList();
        var temporary = Path.Combine(directory, SafetensorsFileName + ".tmp");
        SafetensorsFile.Write(temporary, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        File.Move(temporary, Path.Combine(directory, SafetensorsFileName), overwrite: true);
    }

    /// <summary>All tensors of the directory's weights file(s) by their names in the file.</summary>
    public static Dictionary<string, Tensor> ReadWeights(string directory)
    {
        var safetensors = Path.Combine(directory, SafetensorsFileName);
        if (File.Exists(safetensors)) return SafetensorsFile.Read(safetensors);
        var index = Path.Combine(directory, SafetensorsIndexFile);
        if (File.Exists(index)) return ReadShards(index);
        var pytorch = Path.Combine(directory, PytorchFile);
        if (File.Exists(pytorch)) return ReadPytorch(pytorch);
        throw new FileNotFoundException(
            $"No weights in {directory}: expected {SafetensorsFileName}, {SafetensorsIndexFile} or {PytorchFile}.");
    }

    private static Dictionary<string, Tensor> ReadShards(string indexPath)
    {
        JsonObject weightMap;
        try
        {
            weightMap = JsonNode.Parse(File.ReadAllText(indexPath))?["weight_map"] as JsonObject
                ?? throw new InvalidDataException($"{indexPath} has no weight_map object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{indexPath} is not valid JSON ({e.Message}).", e);
        }
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var directory = Path.GetDirectoryName(indexPath)!;
        foreach (var shard in weightMap.Select(kv => kv.Value!.GetValue<string>()).Distinct())
            foreach (var (name, tensor) in SafetensorsFile.Read(Path.Combine(directory, shard))) result[name] = tensor;
        return result;
    }

    private static Dictionary<string, Tensor> ReadPytorch(string path)
    {
        Hashtable table;
        try
        {
            using var stream = File.OpenRead(path);
            table = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (Exception e) when (e is not FileNotFoundException)
        {
            throw new InvalidDataException($"{path} is not a readable PyTorch state_dict ({e.GetType().Name}: {e.Message}).", e);
        }
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
            if (entry.Value is Tensor tensor) result[(string)entry.Key] = tensor;
        return result;
    }
}
