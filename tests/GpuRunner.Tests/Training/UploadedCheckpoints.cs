namespace BertPlatform.GpuRunner.Tests.Training;

/// <summary>
/// What the trainer's checkpoint uploads leave behind, kept in a folder the way the worker keeps them under
/// <c>checkpoints/{jobId}/</c> in Blob Storage (each uploaded folder replaces its copy, the others stay), and restored
/// the way a redelivered job's workspace downloads them. The blob side itself is tested against Azurite in
/// Functions.Tests (<c>CheckpointPruningTests</c>); here it lets the trainer's pruning be tested without storage.
/// </summary>
public sealed class UploadedCheckpoints(string directory)
{
    /// <summary>Per upload: the folders uploaded, and the files then on local disk (relative to the checkpoint directory).</summary>
    public List<(IReadOnlyList<string> Folders, IReadOnlyList<string> LocalFiles)> Uploads { get; } = [];

    /// <summary>The trainer's upload callback for a run that checkpoints into <paramref name="checkpointDirectory"/>.</summary>
    public Func<IReadOnlyList<string>, CancellationToken, Task> UploadFrom(string checkpointDirectory) => (folders, _) =>
    {
        foreach (var folder in folders)
        {
            var copy = Path.Combine(directory, folder);
            if (Directory.Exists(copy)) Directory.Delete(copy, recursive: true);
            CopyTree(Path.Combine(checkpointDirectory, folder), copy);
        }
        Uploads.Add((folders, Files(checkpointDirectory)));
        return Task.CompletedTask;
    };

    /// <summary>Everything uploaded, into a fresh <paramref name="checkpointDirectory"/> (what a new attempt starts with).</summary>
    public void RestoreInto(string checkpointDirectory)
    {
        if (Directory.Exists(checkpointDirectory)) Directory.Delete(checkpointDirectory, recursive: true);
        CopyTree(directory, checkpointDirectory);
    }

    public IReadOnlyList<string> StoredFiles => Files(directory);

    /// <summary>Relative paths with '/' separators, sorted.</summary>
    public static IReadOnlyList<string> Files(string root) =>
        !Directory.Exists(root) ? []
        : Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal).ToList();

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
