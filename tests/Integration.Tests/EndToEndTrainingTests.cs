using System.Net;
using System.Text;
using System.Text.Json;
using BertPlatform.Integration.Tests.Console;
using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Tasks;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Storage;
using BertPlatform.Shared.Tokenization;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace BertPlatform.Integration.Tests;

/// <summary>
/// The product's loop with every real part: upload over HTTP, a job, a runner in this process with the real
/// trainer on a small BERT, the model published to Blob Storage, downloaded over HTTP and reloaded.
/// </summary>
[Collection("training")]
public sealed class EndToEndTrainingTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string BaseModel = "e2e-bert";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);
    private readonly string directory = Directory.CreateTempSubdirectory("e2e-training-").FullName;

    public Task InitializeAsync() => TinySentimentModel.SeedAsync(platform, BaseModel, hiddenSize: 64, heads: 4);

    public Task DisposeAsync()
    {
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }

    private static string Reviews(int rows, int seed) => TinySentimentModel.Reviews(rows, seed);

    private ServiceProvider RealRunner(string id) => platform.Runner(new TaskExecutor(Devices.Resolve("cpu")), id);

    [Fact]
    public async Task A_job_trains_publishes_and_its_model_reloads_with_the_reported_predictions()
    {
        var client = platform.Client(PlatformFixture.NewUser());
        var train = await PlatformFixture.UploadAsync(client, Reviews(240, seed: 1), "train");
        var validation = await PlatformFixture.UploadAsync(client, Reviews(60, seed: 2), "validation");
        var job = await PlatformFixture.SubmitAsync(client, new
        {
            task = "text_classification", baseModel = BaseModel, trainingDataset = train.Id, validationDataset = validation.Id,
            hyperparameters = new { epochs = 8, batchSize = 16, learningRate = 2e-3, maxSequenceLength = 32, seed = 5 },
        });

        using var runner = RealRunner("e2e-runner");
        using var stop = new CancellationTokenSource();
        var loop = runner.GetRequiredService<JobWorker>().RunAsync(stop.Token);
        var done = await PlatformFixture.WaitForJobAsync(client, job.Id, j => j.Status.IsFinal(), Patience);
        await stop.CancelAsync();
        await loop;

        Assert.True(done.Status == JobStatus.Succeeded, $"{done.Status}: {done.Error}");
        // The same validation set scored before training is the control; the gain measured here is about 0.5.
        var (before, after) = (done.Metrics!["baseline_accuracy"], done.Metrics["accuracy"]);
        Assert.True(after - before >= 0.25, $"validation accuracy went from {before} before training to {after}");
        // The final event tells where the wall time went.
        Assert.True(done.Metrics["time_training_seconds"] > 0);
        Assert.True(done.Metrics["time_evaluation_seconds"] > 0);
        Assert.True(done.Metrics["time_checkpoint_seconds"] >= 0);
        Assert.True(done.Metrics["time_publishing_seconds"] > 0);

        // Download the published model over HTTP, reload it, and score the validation set ourselves.
        var published = Path.Combine(directory, "published");
        Directory.CreateDirectory(published);
        var model = JsonDocument.Parse(await client.GetStringAsync($"api/models/{job.Id}")).RootElement;
        foreach (var file in model.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()!))
            await File.WriteAllBytesAsync(Path.Combine(published, file), await client.GetByteArrayAsync($"api/models/{job.Id}/files/{file}"));
        Assert.True(File.Exists(Path.Combine(published, "README.md")));
        var (reloaded, report) = HuggingFaceCheckpoint.FromPretrained(published);
        using var disposeModel = reloaded;
        Assert.Empty(report.MissingKeys);
        Assert.Equal("BertForSequenceClassification", reloaded.Architecture);
        var tokenizer = BertTextTokenizer.Load(published);
        reloaded.eval();

        var rows = Reviews(60, seed: 2).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(r => r.Split(',')).ToList();
        var correct = 0;
        using (no_grad())
        {
            foreach (var row in rows)
            {
                var encoding = tokenizer.Encode(row[0]);
                using var ids = tensor(encoding.InputIds.Select(i => (long)i).ToArray(), [1, encoding.Length]);
                var logits = reloaded.call(new BertBatch { InputIds = ids }).Logits!;
                var label = reloaded.Config.LabelNames[(int)logits.argmax(-1).item<long>()];
                if (label == row[1]) correct++;
            }
        }
        Assert.Equal(done.Metrics["accuracy"], (double)correct / rows.Count, 9);

        var metricsFile = JsonDocument.Parse(await client.GetStringAsync($"api/models/{job.Id}/files/metrics.json")).RootElement;
        Assert.Equal(done.Metrics["accuracy"], metricsFile.GetProperty("eval").GetProperty("accuracy").GetDouble(), 9);
    }

    [Fact]
    public async Task A_running_training_job_is_cancelled_within_a_step()
    {
        var client = platform.Client(PlatformFixture.NewUser());
        var train = await PlatformFixture.UploadAsync(client, Reviews(400, seed: 3), "long");
        var job = await PlatformFixture.SubmitAsync(client, new
        {
            task = "text_classification", baseModel = BaseModel, trainingDataset = train.Id,
            hyperparameters = new { epochs = 50, batchSize = 8, learningRate = 1e-3, maxSequenceLength = 32 },
        });
        using var runner = RealRunner("e2e-cancel");
        using var stop = new CancellationTokenSource();
        var loop = runner.GetRequiredService<JobWorker>().RunAsync(stop.Token);
        await PlatformFixture.WaitForJobAsync(client, job.Id, j => j.Status == JobStatus.Running && j.Progress > 0, Patience);

        using var cancel = await client.PostAsync($"api/jobs/{job.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var done = await PlatformFixture.WaitForJobAsync(client, job.Id, j => j.Status.IsFinal(), Patience);
        await stop.CancelAsync();
        await loop;

        Assert.Equal(JobStatus.Cancelled, done.Status);
        // 2,500 steps were planned: a job that ignored the cancel would run on for many minutes. Progress, not the
        // clock, tells how far it got, so a slow machine cannot fail this.
        Assert.True(done.Progress < 0.5, $"progress {done.Progress}: the job ran on instead of stopping");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"api/models/{job.Id}")).StatusCode);
    }
}

[CollectionDefinition("training")]
public sealed class TrainingCollection : ICollectionFixture<PlatformFixture>;
