using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Cli;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Tasks;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Storage;
using BertPlatform.Shared.Tokenization;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace BertPlatform.Integration.Tests.Tasks;

/// <summary>
/// Drives real jobs end to end: uploads over HTTP, submits over HTTP, and trains them with the real executor in a
/// runner inside the test process (CPU), then reads the published model back over HTTP.
/// </summary>
public sealed class TaskJobHarness(PlatformFixture platform, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    /// <summary>Settings that keep a CPU-bound runner on its job: the fixture's 3 s leases are for takeover tests.</summary>
    private static readonly Dictionary<string, string?> PatientLeases = new()
    {
        ["Runner:JobLease"] = "00:01:00",
        ["JobQueue:MessageLease"] = "00:01:00",
        ["Runner:Device"] = "cpu",
    };

    public HttpClient NewClient() => platform.Client(PlatformFixture.NewUser());

    /// <summary>Uploads <paramref name="body"/> as a dataset; <paramref name="query"/> adds e.g. <c>problemType=regression</c>.</summary>
    public static async Task<DatasetRecord> UploadAsync(HttpClient client, string body, string format, string task, string? query = null)
    {
        using var content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("text/plain"));
        var url = $"api/datasets?name={task}-{format}&format={format}&task={task}" + (query is null ? "" : "&" + query);
        var response = await client.PostAsync(url, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"upload of {format}/{task} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("dataset").Deserialize<DatasetRecord>(PlatformJson.Options)!;
    }

    /// <summary>Submits the spec, runs it on a real CPU runner until it ends, and requires success.</summary>
    public async Task<JobRun> RunAsync(HttpClient client, object spec, string label, int examples)
    {
        var clock = Stopwatch.StartNew();
        var job = await PlatformFixture.SubmitAsync(client, spec);
        var done = await RunToTheEndAsync(client, job.Id);
        clock.Stop();
        if (done.Status != JobStatus.Succeeded)
        {
            var events = await PlatformFixture.GetEventsAsync(client, job.Id);
            Assert.Fail($"{label}: job {done.Id} ended {done.Status}: {done.Error}\n" + string.Join("\n", events.Select(e => $"{e.Kind}: {e.Message}")));
        }
        if (Environment.GetEnvironmentVariable("TASKS_E2E_EVENTS") == "1")
            foreach (var e in await PlatformFixture.GetEventsAsync(client, job.Id)) output.WriteLine($"  {e.Kind}: {e.Message}");
        var metrics = done.Metrics!;
        output.WriteLine($"| {label} | {examples} | {clock.Elapsed.TotalSeconds:F1} s | " +
                         string.Join(", ", metrics.OrderBy(m => m.Key).Select(m => $"{m.Key}={m.Value:G4}")) + " |");
        return new JobRun(done, clock.Elapsed);
    }

    /// <summary>
    /// Runs a real CPU runner until job <paramref name="jobId"/> is final, doing <paramref name="meanwhile"/> (a cancel, say)
    /// once the runner has started; returns the job as it ended.
    /// </summary>
    public async Task<JobRecord> RunToTheEndAsync(HttpClient client, string jobId, Func<Task>? meanwhile = null)
    {
        var runnerId = "tasks-" + Guid.NewGuid().ToString("N")[..8];
        await using var runner = platform.Runner(new TaskExecutor(Devices.Resolve("cpu")), runnerId, PatientLeases);
        using var stop = new CancellationTokenSource();
        var loop = runner.GetRequiredService<JobWorker>().RunAsync(stop.Token);
        try
        {
            if (meanwhile is not null) await meanwhile();
            return await PlatformFixture.WaitForJobAsync(client, jobId, j => j.Status.IsFinal(), Patience);
        }
        finally
        {
            await stop.CancelAsync();
            await loop;
        }
    }

    /// <summary>Downloads every file of a published model into a fresh folder.</summary>
    public static async Task<string> DownloadModelAsync(HttpClient client, string modelId)
    {
        var folder = Directory.CreateTempSubdirectory("published-").FullName;
        var model = JsonDocument.Parse(await client.GetStringAsync($"api/models/{modelId}")).RootElement;
        foreach (var file in model.GetProperty("files").EnumerateArray())
        {
            var path = file.GetProperty("path").GetString()!;
            var bytes = await client.GetByteArrayAsync($"api/models/{modelId}/files/{path}");
            var local = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            await File.WriteAllBytesAsync(local, bytes);
        }
        return folder;
    }

    /// <summary>Runs the <c>predict</c> verb on a model folder and returns one result per input.</summary>
    public static IReadOnlyList<JsonObject> Predict(string modelDirectory, IEnumerable<object> inputs)
    {
        var folder = Directory.CreateTempSubdirectory("predict-").FullName;
        try
        {
            var input = Path.Combine(folder, "in.jsonl");
            var result = Path.Combine(folder, "out.jsonl");
            File.WriteAllLines(input, inputs.Select(i => JsonSerializer.Serialize(i)));
            Assert.Equal(0, PredictVerb.Run(["--model", modelDirectory, "--input", input, "--output", result, "--device", "cpu"]));
            return File.ReadAllLines(result).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A random tiny BERT (2 layers × 128) whose whole-word vocabulary is <paramref name="words"/>, seeded as a base model.</summary>
    public async Task<string> SeedBaseModelAsync(IEnumerable<string> words, int seed = 7)
    {
        var name = "tiny-" + Guid.NewGuid().ToString("N")[..8];
        var folder = Directory.CreateTempSubdirectory("tiny-base-").FullName;
        var vocabulary = Path.Combine(folder, "vocab.txt");
        await File.WriteAllLinesAsync(vocabulary, new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }.Concat(words.Distinct()));
        var model = Path.Combine(folder, "model");
        BaseModelFactory.Create(model, BertConfig.Preset("tiny", File.ReadLines(vocabulary).Count()), vocabulary,
            new BertTokenizerSettings(DoLowerCase: true, StripAccents: true, TokenizeChineseChars: true), seed);
        await SeedAsync(model, name);
        Directory.Delete(folder, recursive: true);
        return name;
    }

    /// <summary>Uploads a local model folder as base model <paramref name="name"/>, as <c>seed-base-model</c> does.</summary>
    public async Task SeedAsync(string modelDirectory, string name)
    {
        var storage = platform.Storage;
        await new StorageInitializer(storage).EnsureCreatedAsync(CancellationToken.None);
        await BlobFolders.UploadAsync(modelDirectory, storage.Container(StorageNames.ModelsContainer), StorageNames.BaseModelPrefix(name), CancellationToken.None);
    }

    public static async Task<HttpResponseMessage> PostJobAsync(HttpClient client, object spec) => await client.PostAsJsonAsync("api/jobs", spec);
}

public sealed record JobRun(JobRecord Job, TimeSpan Wall)
{
    public double Metric(string name) =>
        Job.Metrics!.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"job {Job.Id} reports no '{name}': {string.Join(", ", Job.Metrics!.Keys)}");

    /// <summary>
    /// The learning verdict: the trained model's <paramref name="metric"/> exceeds the untrained model's on the same
    /// validation set (the job's <c>baseline_</c> metric) by at least <paramref name="margin"/>.
    /// </summary>
    public void AssertGainOverBaseline(string metric, double margin)
    {
        var (before, after) = (Metric("baseline_" + metric), Metric(metric));
        Assert.True(after - before >= margin, $"{metric} went from {before:G4} before training to {after:G4} after; the bar is a gain of {margin}");
    }

    /// <summary>
    /// The learning verdict where the untrained model's score is itself a random draw that can land high (a random
    /// regression head can correlate with the target by chance, and the head's initialisation draws from torch's
    /// generator, which the tests training beside this one share): training closes at least <paramref name="fraction"/>
    /// of the gap between the untrained score and <paramref name="perfect"/>.
    /// </summary>
    public void AssertClosesGapToPerfect(string metric, double fraction, double perfect = 1)
    {
        var (before, after) = (Metric("baseline_" + metric), Metric(metric));
        var closed = (after - before) / (perfect - before);
        Assert.True(closed >= fraction,
            $"{metric} went from {before:G4} before training to {after:G4} after: {closed:P0} of the way to {perfect}; the bar is {fraction:P0}");
    }
}

[CollectionDefinition("tasks")]
public sealed class TaskCollection : ICollectionFixture<PlatformFixture>;
