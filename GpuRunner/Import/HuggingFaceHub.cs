using System.Net;

namespace BertPlatform.GpuRunner.Import;

/// <summary>
/// Downloads a BERT checkpoint from the Hugging Face hub (or a mirror: <c>HF_ENDPOINT</c>, as huggingface_hub
/// reads it) into a local folder in the Hugging Face layout, for machines that have internet. Files stream to
/// disk; the folder appears only once everything arrived, so a broken download leaves nothing behind.
/// </summary>
public sealed class HuggingFaceHub(HttpClient http, Uri endpoint, string? token = null)
{
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>Needed files, then optional ones; the first weights file the repository has is taken.</summary>
    private static readonly string[] required = ["config.json", "vocab.txt"];
    private static readonly string[] optional = ["tokenizer_config.json", "special_tokens_map.json"];
    private static readonly string[] weights = ["model.safetensors", "pytorch_model.bin"];

    public static HuggingFaceHub FromEnvironment(HttpClient http) =>
        new(http, new Uri(Environment.GetEnvironmentVariable("HF_ENDPOINT") is { Length: > 0 } e ? e : DefaultEndpoint),
            Environment.GetEnvironmentVariable("HF_TOKEN"));

    public async Task<IReadOnlyList<string>> DownloadAsync(string repository, string revision, string outputDirectory, CancellationToken ct)
    {
        if (Directory.Exists(outputDirectory) && Directory.EnumerateFileSystemEntries(outputDirectory).Any())
            throw new IOException($"{outputDirectory} already has files; choose an empty or new folder.");
        var staging = Path.GetFullPath(outputDirectory).TrimEnd(Path.DirectorySeparatorChar) + ".download";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        try
        {
            var files = new List<string>();
            foreach (var file in required)
            {
                if (!await TryDownloadAsync(repository, revision, file, staging, ct))
                    throw new FileNotFoundException($"{repository}@{revision} has no {file}; is it a BERT checkpoint?");
                files.Add(file);
            }
            foreach (var file in optional)
                if (await TryDownloadAsync(repository, revision, file, staging, ct)) files.Add(file);
            var weightsFile = await FirstAsync(repository, revision, staging, ct)
                ?? throw new FileNotFoundException($"{repository}@{revision} has none of {string.Join(", ", weights)}.");
            files.Add(weightsFile);
            if (Directory.Exists(outputDirectory)) Directory.Delete(outputDirectory);
            Directory.Move(staging, outputDirectory);
            return files;
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    private async Task<string?> FirstAsync(string repository, string revision, string staging, CancellationToken ct)
    {
        foreach (var file in weights)
            if (await TryDownloadAsync(repository, revision, file, staging, ct)) return file;
        return null;
    }

    /// <returns>False when the repository has no such file (404); other failures throw with the URL.</returns>
    private async Task<bool> TryDownloadAsync(string repository, string revision, string file, string staging, CancellationToken ct)
    {
        var url = new Uri(endpoint, $"{repository}/resolve/{Uri.EscapeDataString(revision)}/{file}");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is { Length: > 0 }) request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}" +
                (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? " (set HF_TOKEN for gated or private models)" : ""));
        var path = Path.Combine(staging, file);
        await using (var target = File.Create(path))
            await response.Content.CopyToAsync(target, ct);
        if (response.Content.Headers.ContentLength is { } expected && new FileInfo(path).Length != expected)
            throw new IOException($"GET {url} ended after {new FileInfo(path).Length} of {expected} bytes.");
        return true;
    }
}
