using System.Text.Json;
using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Modeling;

namespace BertPlatform.GpuRunner.Training;

/// <summary>
/// The resumable state of a run in a local directory: <c>last/</c> (weights in the Hugging Face layout,
/// optimizer moments, trainer_state.json) and <c>best/</c> (the best model so far, publishable as is).
/// Each save goes to a temporary folder first and is swapped in whole, so a crash mid-save keeps the previous one.
/// Once Blob Storage holds <c>last/</c> the local copy is pruned (<see cref="PruneLast"/>): it is three times the
/// model (weights and both AdamW moments), ~2 GB for mBERT, on a replica with 8 GiB of ephemeral disk.
/// </summary>
public sealed class TrainingCheckpoint(string directory)
{
    private static readonly JsonSerializerOptions json = new() { WriteIndented = true };

    /// <summary>The folder names under the checkpoint directory, as the upload receives them.</summary>
    public const string LastFolder = "last", BestFolder = "best";

    public string LastDirectory => Path.Combine(directory, LastFolder);

    public string BestDirectory => Path.Combine(directory, BestFolder);

    private string StatePath => Path.Combine(LastDirectory, "trainer_state.json");

    private string OptimizerPath => Path.Combine(LastDirectory, OptimizerFileName);

    private const string OptimizerFileName = "optimizer.safetensors";

    public bool HasLast => File.Exists(StatePath);

    public bool HasBest => File.Exists(Path.Combine(BestDirectory, "config.json"));

    public void SaveLast(BertTaskModel model, FusedAdamW optimizer, TrainerState state) => SaveLast(model, optimizer, SerializeState(state));

    /// <summary>Saves with the trainer state already serialised (captured when the checkpoint was taken).</summary>
    public void SaveLast(BertTaskModel model, FusedAdamW optimizer, string stateJson)
    {
        ReplaceDirectory(LastDirectory, staging =>
        {
            HuggingFaceCheckpoint.Save(model, staging);
            OptimizerStateFile.Save(optimizer, Path.Combine(staging, OptimizerFileName));
            File.WriteAllText(Path.Combine(staging, "trainer_state.json"), stateJson);
        });
    }

    public static string SerializeState(TrainerState state) => JsonSerializer.Serialize(state, json);

    public void SaveBest(BertTaskModel model) => ReplaceDirectory(BestDirectory, staging => HuggingFaceCheckpoint.Save(model, staging));

    /// <summary>Restores weights and optimizer moments into freshly built objects and returns the trainer state.</summary>
    public TrainerState RestoreLast(BertTaskModel model, FusedAdamW optimizer)
    {
        var report = HuggingFaceCheckpoint.LoadWeights(model, LastDirectory);
        if (report.MissingKeys.Count > 0)
            throw new InvalidDataException($"The checkpoint in {LastDirectory} lacks {string.Join(", ", report.MissingKeys)}.");
        if (!File.Exists(OptimizerPath))
            throw new InvalidDataException($"The checkpoint in {LastDirectory} has no {OptimizerFileName} (one written before the fused optimizer cannot resume).");
        OptimizerStateFile.Load(optimizer, OptimizerPath);
        return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(StatePath), json)
            ?? throw new InvalidDataException($"{StatePath} is empty.");
    }

    /// <summary>
    /// Deletes the local <c>last/</c>; call it only once Blob Storage holds that checkpoint (after its upload, or after
    /// a restore, which downloaded it from there). Nothing reads it again in this attempt: a resumed attempt downloads
    /// it anew, and the next save writes a new one. <c>best/</c> stays: publishing copies it at the end, and keeping one
    /// weights file (a third of <c>last/</c>) is cheaper and simpler than downloading it back then.
    /// </summary>
    public void PruneLast()
    {
        if (Directory.Exists(LastDirectory)) Directory.Delete(LastDirectory, recursive: true);
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
