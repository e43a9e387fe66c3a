using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace BertPlatform.Shared.Storage;

/// <summary>Copies a local folder tree to a blob prefix and back (models, base models, checkpoints).</summary>
public static class BlobFolders
{
    /// <summary>Uploads every file under <paramref name="localDirectory"/>; returns the relative paths and sizes.</summary>
    public static async Task<IReadOnlyList<(string Path, long Bytes)>> UploadAsync(
        string localDirectory, BlobContainerClient container, string prefix, CancellationToken ct)
    {
        var uploaded = new List<(string, long)>();
        foreach (var file in Directory.EnumerateFiles(localDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(localDirectory, file).Replace(Path.DirectorySeparatorChar, '/');
            await using var stream = File.OpenRead(file);
            await container.GetBlobClient(prefix + relative).UploadAsync(stream, overwrite: true, ct);
            uploaded.Add((relative, new FileInfo(file).Length));
        }
        return uploaded;
    }

    /// <summary>Downloads every blob under <paramref name="prefix"/>; returns how many files arrived.</summary>
    public static async Task<int> DownloadAsync(BlobContainerClient container, string prefix, string localDirectory, CancellationToken ct)
    {
        Directory.CreateDirectory(localDirectory);
        var count = 0;
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, ct))
        {
            var relative = blob.Name[prefix.Length..];
            var target = Path.GetFullPath(Path.Combine(localDirectory, relative));
            if (!target.StartsWith(Path.GetFullPath(localDirectory), StringComparison.Ordinal))
                throw new InvalidDataException($"Blob '{blob.Name}' would be written outside {localDirectory}.");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await container.GetBlobClient(blob.Name).DownloadToAsync(target, ct);
            count++;
        }
        return count;
    }

    public static async Task DeleteAsync(BlobContainerClient container, string prefix, CancellationToken ct)
    {
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, ct))
            await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: ct);
    }
}
