using System.Text.Json;
using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Modeling;
using TorchSharp.Modules;

namespace BertPlatform.GpuRunner.Training;

/// <summary>
/// The resumable state of a run in a local directory: <c>last/</c> (weights in the Hugging Face layout,
/// optimizer moments, trainer_state.json) and <c>best/</c> (the best model so far, publishable as is).
/// Each save goes to a temporary folder first and is swapped in whole, so a crash mid-save keeps the previous one.
/// </summary>
public sealed class TrainingCheckpoint(string directory)
{
    private static readonly JsonSerializerOptions json = new() { WriteIndented = true };

    public string LastDirectory => Path.Combine(directory, "last");

    public string BestDirectory => Path.Combine(directory, "best");

    private string StatePath => Path.Combine(LastDirectory, "trainer_state.json");

    private string OptimizerPath => Path.Combine(LastDirectory, "optimizer.bin");

    public bool HasLast => File.Exists(StatePath);

    public bool HasBest => File.Exists(Path.Combine(BestDirectory, "config.json"));

    public void SaveLast(BertTaskModel model, AdamW optimizer, TrainerState state)
    {
        ReplaceDirectory(LastDirectory, staging =>
        {
            HuggingFaceCheckpoint.Save(model, staging);
            optimizer.save_state_dict(Path.Combine(staging, "optimizer.bin"));
            File.WriteAllText(Path.Combine(staging, "trainer_state.json"), JsonSerializer.Serialize(state, json));
        });
    }

    public void SaveBest(BertTaskModel model) => ReplaceDirectory(BestDirectory, staging => HuggingFaceCheckpoint.Save(model, staging));

    /// <summary>Restores weights and optimizer moments into freshly built objects and returns the trainer state.</summary>
    public TrainerState RestoreLast(BertTaskModel model, AdamW optimizer)
    {
        var report = HuggingFaceCheckpoint.LoadWeights(model, LastDirectory);
        if (report.MissingKeys.Count > 0)
            throw new InvalidDataException($"The checkpoint in {LastDirectory} lacks {string.Join(", ", report.MissingKeys)}.");
        optimizer.load_state_dict(OptimizerPath);
        optimizer.to(model.parameters().First().device);
        return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(StatePath), json)
            ?? throw new InvalidDataException($"{StatePath} is empty.");
    }

    private static void ReplaceDirectory(string target, Action<string> write)
    {
        var staging = target + ".staging";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        write(staging);
        var old = target + ".old";
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        if (Directory.Exists(target)) Directory.Move(target, old);
        Directory.Move(staging, target);
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
    }
}
