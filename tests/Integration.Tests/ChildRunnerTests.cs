using System.Text.Json;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Storage;
using BertPlatform.TestSupport;

namespace BertPlatform.Integration.Tests;

/// <summary>
/// Real runner processes (the GpuRunner <c>worker</c> verb with the real trainer on the shared tiny BERT) that are killed
/// or terminated mid-job. They get their own Azurite and host, so no other test's messages reach them.
/// </summary>
[Collection("child-runners")]
public sealed class ChildRunnerTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string BaseModel = "tiny-bert";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);
    private readonly List<ChildProcess> children = [];
    private string? modelDirectory;

    public async Task InitializeAsync()
    {
        // The team's tiny random BERT (Hugging Face layout) stands in for mBERT; seeded the way users seed models.
        modelDirectory = Directory.CreateTempSubdirectory("tiny-bert-").FullName;
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json" })
            File.Copy(Path.Combine(TestAssets.TinyBert, file), Path.Combine(modelDirectory, file));
        await RunToEndAsync("seed-base-model", "--from", modelDirectory, "--name", BaseModel);
    }

    public Task DisposeAsync()
    {
        foreach (var child in children) child.Dispose();
        if (modelDirectory is not null) Directory.Delete(modelDirectory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_runner_killed_mid_job_leaves_the_job_to_another_runner_that_finishes_it()
    {
        // The kill has to land while the job still trains. A fast machine can finish a short job between the
        // checkpoint the test sees and the kill; then the same scenario runs again with a longer job, so a slow
        // machine is not made to train a long job and a fast one still reaches the state under test.
        HttpClient client = null!;
        JobRecord job = null!;
        foreach (var epochs in new[] { 8, 32, 100 })
        {
            (client, job) = await SubmitAsync(epochs);
            var first = StartWorker("runner-killed");
            await WaitForEventAsync(client, job.Id, e => e.Kind == "checkpoint", first);

            first.Kill();   // SIGKILL: no release, no abandon; the lease and the message lock simply lapse
            var orphaned = await PlatformFixture.GetJobAsync(client, job.Id);
            if (orphaned.Status == JobStatus.Running)
            {
                Assert.Equal("runner-killed", orphaned.LeaseOwner);
                break;
            }
            Assert.True(orphaned.Status == JobStatus.Succeeded && epochs < 100,
                $"a job of {epochs} epochs was {orphaned.Status} when its runner was killed: {orphaned.Error}");
        }

        var second = StartWorker("runner-heir");
        var done = await PlatformFixture.WaitForJobAsync(client, job.Id, j => j.Status.IsFinal(), Patience, () => second.Output);

        Assert.True(JobStatus.Succeeded == done.Status, $"{done.Status}: {done.Error}\n{second.Output}");
        Assert.Equal(2, done.Attempts);
        var events = await PlatformFixture.GetEventsAsync(client, job.Id);
        Assert.Contains(events, e => e.Kind == "started" && e.Message.Contains("runner-heir"));
        Assert.Contains(events, e => e.Kind == "log" && e.Message.Contains("restored a checkpoint"));
        var model = JsonDocument.Parse(await client.GetStringAsync($"api/models/{job.Id}")).RootElement;
        Assert.Contains(model.GetProperty("files").EnumerateArray(), f => f.GetProperty("path").GetString() == "model.safetensors");
    }

    [Fact]
    public async Task A_runner_told_to_stop_hands_the_job_back_and_exits_cleanly()
    {
        // The longest job the API accepts (1,500 steps), so the signal finds it training however fast the machine.
        var (client, job) = await SubmitAsync(epochs: 100);
        var runner = StartWorker("runner-terminated");
        await WaitForEventAsync(client, job.Id, e => e.Kind is "train" or "progress" or "checkpoint", runner);

        runner.Terminate();   // SIGTERM, as Container Apps sends 30 s before it kills

        Assert.Equal(0, await runner.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var released = await PlatformFixture.GetJobAsync(client, job.Id);
        Assert.Equal(JobStatus.Queued, released.Status);
        Assert.Equal(0, released.Attempts);
        Assert.Contains(await PlatformFixture.GetEventsAsync(client, job.Id), e => e.Kind == "released");
        // The checkpoint it took on the way out is in Blob Storage for the next runner; its local workspace is gone.
        var checkpoint = new List<string>();
        var prefix = StorageNames.CheckpointPrefix(job.Id);
        await foreach (var blob in platform.Storage.Container(StorageNames.CheckpointsContainer).GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, CancellationToken.None))
            checkpoint.Add(blob.Name[prefix.Length..]);
        Assert.Contains("last/trainer_state.json", checkpoint);
        Assert.Contains("last/optimizer.safetensors", checkpoint);
        Assert.False(Directory.Exists(Path.Combine(WorkDirectory("runner-terminated"), job.Id)), "the stopped runner left its workspace behind");

        // The released job is back in the queue this collection's other runners read: cancel it, so none trains it.
        using var cancel = await client.PostAsync($"api/jobs/{job.Id}/cancel", null);
        Assert.True(cancel.IsSuccessStatusCode, $"cancel answered {(int)cancel.StatusCode}");
        Assert.Equal(JobStatus.Cancelled, (await PlatformFixture.GetJobAsync(client, job.Id)).Status);
    }

    private async Task<(HttpClient, JobRecord)> SubmitAsync(int epochs)
    {
        var client = platform.Client(PlatformFixture.NewUser());
        var csv = await File.ReadAllTextAsync(Path.Combine(TestAssets.RepositoryRoot, "samples", "reviews-sentiment.csv"));
        var dataset = await PlatformFixture.UploadAsync(client, csv);
        var job = await PlatformFixture.SubmitAsync(client, new
        {
            trainingDataset = dataset.Id, baseModel = BaseModel,
            hyperparameters = new { epochs, batchSize = 8, learningRate = 1e-4, maxSequenceLength = 32 },
        });
        return (client, job);
    }

    private ChildProcess StartWorker(string runnerId)
    {
        var environment = Environment(runnerId);
        var child = ChildProcess.StartDotnet("GpuRunner", "GpuRunner", ["worker", "--poll-interval", "0.5"], environment);
        children.Add(child);
        return child;
    }

    private async Task RunToEndAsync(params string[] arguments)
    {
        using var child = ChildProcess.StartDotnet("GpuRunner", "GpuRunner", arguments, Environment("setup"));
        var exit = await child.WaitForExitAsync(TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, $"GpuRunner {string.Join(' ', arguments)} exited with {exit}:\n{child.Output}");
    }

    private Dictionary<string, string> Environment(string runnerId) => new()
    {
        ["Storage__ConnectionString"] = platform.Azurite.ConnectionString,
        ["JobQueue__Transport"] = "StorageQueue",
        ["JobQueue__Name"] = "jobs",
        ["JobQueue__MessageLease"] = "00:00:03",
        ["Runner__RunnerId"] = runnerId,
        ["Runner__Device"] = "cpu",
        ["Runner__JobLease"] = "00:00:04",
        ["Runner__CancelPollInterval"] = "00:00:00.5",
        ["Runner__WorkDirectory"] = WorkDirectory(runnerId),
    };

    private readonly Dictionary<string, string> workDirectories = [];

    /// <summary>One scratch folder per runner id for this test class instance.</summary>
    private string WorkDirectory(string runnerId)
    {
        if (!workDirectories.TryGetValue(runnerId, out var directory))
            workDirectories[runnerId] = directory = Path.Combine(Path.GetTempPath(), "bert-child-runners", runnerId + "-" + Guid.NewGuid().ToString("N")[..6]);
        return directory;
    }

    private static async Task WaitForEventAsync(HttpClient client, string jobId, Func<JobEvent, bool> match, ChildProcess runner)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!(await PlatformFixture.GetEventsAsync(client, jobId)).Any(match))
        {
            Assert.False(runner.HasExited, "the runner exited early:\n" + runner.Output);
            Assert.True(DateTime.UtcNow < deadline, "no such event yet:\n" + runner.Output);
            await Task.Delay(200);
        }
    }
}

[CollectionDefinition("child-runners")]
public sealed class ChildRunnerCollection : ICollectionFixture<PlatformFixture>;
