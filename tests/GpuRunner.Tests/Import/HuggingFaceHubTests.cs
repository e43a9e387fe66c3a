using System.Net;
using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Import;
using BertPlatform.TestSupport;

namespace BertPlatform.GpuRunner.Tests.Import;

/// <summary>The hub download against a loopback server that answers the hub's <c>/{repo}/resolve/{revision}/{file}</c> URLs.</summary>
public sealed class HuggingFaceHubTests : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly string directory = Directory.CreateTempSubdirectory("hub-tests-").FullName;
    private readonly Uri endpoint;
    private readonly List<string> requested = [];

    public HuggingFaceHubTests()
    {
        var port = FreePorts.Next();
        endpoint = new Uri($"http://127.0.0.1:{port}/");
        listener.Prefixes.Add(endpoint.ToString());
        listener.Start();
        _ = ServeAsync();
    }

    /// <summary>Serves the tiny-bert fixture as <c>org/tiny-bert</c> at revision <c>main</c>; <c>org/private</c> answers 401.</summary>
    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); } catch (Exception) { return; }
            var path = context.Request.Url!.AbsolutePath;
            lock (requested) requested.Add(path);
            const string prefix = "/org/tiny-bert/resolve/main/";
            var file = path.StartsWith(prefix, StringComparison.Ordinal) ? Path.Combine(TestAssets.TinyBert, path[prefix.Length..]) : null;
            if (path.StartsWith("/org/private/", StringComparison.Ordinal)) context.Response.StatusCode = 401;
            else if (file is null || !File.Exists(file)) context.Response.StatusCode = 404;
            else
            {
                var bytes = await File.ReadAllBytesAsync(file);
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
            }
            context.Response.Close();
        }
    }

    [Fact]
    public async Task Downloads_a_checkpoint_that_loads_preferring_safetensors()
    {
        using var http = new HttpClient();
        var output = Path.Combine(directory, "model");
        var files = await new HuggingFaceHub(http, endpoint).DownloadAsync("org/tiny-bert", "main", output, CancellationToken.None);

        Assert.Equal(["config.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json", "model.safetensors"], files);
        Assert.DoesNotContain("/org/tiny-bert/resolve/main/pytorch_model.bin", requested);
        Assert.Equal(File.ReadAllBytes(Path.Combine(TestAssets.TinyBert, "model.safetensors")), File.ReadAllBytes(Path.Combine(output, "model.safetensors")));
        var (model, report) = HuggingFaceCheckpoint.FromPretrained(output);
        using (model) Assert.Empty(report.MissingKeys);
    }

    [Fact]
    public async Task A_repository_without_a_bert_checkpoint_leaves_nothing_behind()
    {
        using var http = new HttpClient();
        var output = Path.Combine(directory, "missing");
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => new HuggingFaceHub(http, endpoint).DownloadAsync("org/none", "main", output, CancellationToken.None));
        Assert.Contains("org/none@main has no config.json", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory));
    }

    [Fact]
    public async Task A_refused_download_says_how_to_authenticate()
    {
        using var http = new HttpClient();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            new HuggingFaceHub(http, endpoint).DownloadAsync("org/private", "main", Path.Combine(directory, "private"), CancellationToken.None));
        Assert.Contains("401", error.Message);
        Assert.Contains("HF_TOKEN", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory));
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        Directory.Delete(directory, recursive: true);
    }
}
