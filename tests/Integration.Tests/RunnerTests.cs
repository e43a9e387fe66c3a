using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Queueing;
using BertPlatform.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace BertPlatform.Integration.Tests;

/// <summary>
/// The worker's delivery rules over real HTTP and real Azurite, with stand-in executors. The queue is shared by
/// the collection, so runners here may also pick up other tests' leftover messages; assertions count per job.
/// </summary>
[Collection("platform")]
public sealed class RunnerTests(PlatformFixture platform)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_job_runs_to_success_and_publishes_its_model_with_ordered_events()
    {
        var (client, job) = await SubmitAsync();
        var executor = new RecordingExecutor(TimeSpan.FromSeconds(1));
        var runner = Runner(executor, "r-success");
        var workspace = WorkspaceOf(runner, job.Id);

        var done = await RunUntilAsync(client, job.Id, j => j.Status.IsFinal(), runner);

        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal(1.0, done.Progress);
        Assert.Equal(0.875, done.Metrics!["accuracy"]);
        Assert.Null(done.LeaseOwner);
        var model = JsonDocument.Parse(await client.GetStringAsync($"api/models/{job.Id}")).RootElement;
        var files = model.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()).ToList();
        Assert.Equal(["config.json", "metrics.json", "model.safetensors"], files.Order().ToList());
        var metrics = JsonSerializer.Deserialize<Dictionary<string, double>>(await client.GetStringAsync($"api/models/{job.Id}/files/metrics.json"))!;
        Assert.Equal(RecordingExecutor.FinalMetrics, metrics);
        Assert.Equal(1024, (await client.GetByteArrayAsync($"api/models/{job.Id}/files/model.safetensors")).Length);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"api/models/{job.Id}/files/secrets.txt")).StatusCode);
        Assert.Contains(JsonDocument.Parse(await client.GetStringAsync("api/models")).RootElement.EnumerateArray(), m => m.GetProperty("id").GetString() == job.Id);

        var events = await PlatformFixture.GetEventsAsync(client, job.Id);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal("queued", events[0].Kind);
        Assert.Equal("succeeded", events[^1].Kind);
        Assert.Equal(4, events.Count(e => e.Kind == "train"));
        var later = JsonSerializer.Deserialize<List<JobEvent>>(await client.GetStringAsync($"api/jobs/{job.Id}/events?after=2"), PlatformJson.Options)!;
        Assert.Equal(events.Skip(2).Select(e => e.Sequence), later.Select(e => e.Sequence));
        AssertNoWorkspace(workspace);
    }

    [Fact]
    public async Task A_cancel_request_stops_a_running_job_within_a_step()
    {
        var (client, job) = await SubmitAsync();
        var executor = new UntilCancelledExecutor();
        using var runner = Runner(executor, "r-cancel");
        var workspace = WorkspaceOf(runner, job.Id);
        using var stop = new CancellationTokenSource();
        var loop = runner.GetRequiredService<JobWorker>().RunAsync(stop.Token);
        await executor.Started(job.Id).WaitAsync(Patience);

        using var cancel = await client.PostAsync($"api/jobs/{job.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var done = await PlatformFixture.WaitForJobAsync(client, job.Id, j => j.Status.IsFinal(), Patience);
        await stop.CancelAsync();
        await loop;

        // The executor never ends by itself, so reaching Cancelled at all shows the cancel reached it.
        Assert.Equal(JobStatus.Cancelled, done.Status);
        var kinds = (await PlatformFixture.GetEventsAsync(client, job.Id)).Select(e => e.Kind).ToList();
        Assert.Equal(["cancel_requested", "cancelled"], kinds.TakeLast(2));
        Assert.Contains("checkpoint", kinds);
        await AssertNoBlobsAsync(StorageNames.CheckpointsContainer, job.Id + "/");
        AssertNoWorkspace(workspace);
    }

    [Fact]
    public async Task Two_runners_given_the_same_message_do_not_both_train_it()
    {
        var (client, job) = await SubmitAsync();
        var queue = platform.Runner(new RecordingExecutor(TimeSpan.Zero), "r-sender").GetRequiredService<IJobQueue>();
        await queue.SendAsync(new JobMessage(job.Id, job.Owner), null, CancellationToken.None);   // the same message, delivered twice
        var executor = new RecordingExecutor(TimeSpan.FromSeconds(2));

        var done = await RunUntilAsync(client, job.Id, j => j.Status.IsFinal(), Runner(executor, "r-twin-a"), Runner(executor, "r-twin-b"));

        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal(1, executor.Executions(job.Id));
        Assert.Equal(1, done.Attempts);
    }

    [Fact]
    public async Task Of_two_claims_on_the_same_record_only_one_wins()
    {
        var (_, job) = await SubmitAsync();
        using var services = Runner(new RecordingExecutor(TimeSpan.Zero), "r-claims");
        var jobs = services.GetRequiredService<JobRepository>();
        var observed = (await jobs.GetAsync(job.Owner, job.Id, CancellationToken.None))!;

        var first = await jobs.TryClaimAsync(observed, "runner-1", TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow, CancellationToken.None);
        var second = await jobs.TryClaimAsync(observed, "runner-2", TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Null(second);
        var stored = (await jobs.GetAsync(job.Owner, job.Id, CancellationToken.None))!;
        Assert.Equal("runner-1", stored.LeaseOwner);
        Assert.Equal(JobStatus.Running, stored.Status);
        // A fresh lease keeps everyone else off, even with the current ETag.
        Assert.Null(await jobs.TryClaimAsync(stored, "runner-2", TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow, CancellationToken.None));
        Assert.NotNull(await jobs.TryClaimAsync(stored, "runner-2", TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow.AddMinutes(2), CancellationToken.None));
    }

    [Fact]
    public async Task A_job_whose_runner_vanished_is_taken_over_once_its_lease_lapses()
    {
        var (client, job) = await SubmitAsync();
        using var ghostServices = Runner(new RecordingExecutor(TimeSpan.Zero), "r-ghost-services");
        var jobs = ghostServices.GetRequiredService<JobRepository>();
        var observed = (await jobs.GetAsync(job.Owner, job.Id, CancellationToken.None))!;
        // A runner that claimed the job and then died: its lease runs out in 3 s and nobody renews it.
        Assert.NotNull(await jobs.TryClaimAsync(observed, "ghost", TimeSpan.FromSeconds(3), DateTimeOffset.UtcNow, CancellationToken.None));
        var executor = new RecordingExecutor(TimeSpan.FromMilliseconds(400));

        var done = await RunUntilAsync(client, job.Id, j => j.Status.IsFinal(), Runner(executor, "r-heir"));

        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal(2, done.Attempts);
        Assert.Equal(1, executor.Executions(job.Id));
        Assert.Contains(await PlatformFixture.GetEventsAsync(client, job.Id), e => e.Kind == "started" && e.Message.Contains("r-heir"));
    }

    [Fact]
    public async Task A_runner_that_loses_its_lease_stops_training_at_once_and_the_job_still_finishes()
    {
        var (client, job) = await SubmitAsync();
        var first = new UntilCancelledExecutor();
        using var services = Runner(first, "r-robbed");
        using var stop = new CancellationTokenSource();
        var loop = services.GetRequiredService<JobWorker>().RunAsync(stop.Token);
        await first.Started(job.Id).WaitAsync(Patience);

        // Another runner took the job over (as if this one had stalled past its lease), then vanished itself.
        var jobs = services.GetRequiredService<JobRepository>();
        await jobs.UpdateAsync(job.Owner, job.Id, j => j with { LeaseOwner = "thief", LeaseExpiresAt = DateTimeOffset.UtcNow.AddSeconds(3) }, CancellationToken.None);
        await first.Stopped(job.Id).WaitAsync(TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await loop;
        Assert.Equal("thief", (await PlatformFixture.GetJobAsync(client, job.Id)).LeaseOwner);

        var heir = new RecordingExecutor(TimeSpan.FromMilliseconds(200));
        var done = await RunUntilAsync(client, job.Id, j => j.Status.IsFinal(), Runner(heir, "r-after-thief"));

        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal(1, heir.Executions(job.Id));
    }

    [Fact]
    public async Task A_job_that_keeps_failing_ends_failed_with_its_reason_and_its_message_in_the_poison_queue()
    {
        var (client, job) = await SubmitAsync();
        var executor = new FailingExecutor();
        var runner = Runner(executor, "r-failing", new Dictionary<string, string?> { ["Runner:MaxAttempts"] = "2" });
        var workspace = WorkspaceOf(runner, job.Id);

        var done = await RunUntilAsync(client, job.Id, j => j.Status.IsFinal(), runner);

        Assert.Equal(JobStatus.Failed, done.Status);
        Assert.Contains("device-side assert", done.Error);
        Assert.Contains("2 attempt", done.Error);
        Assert.Equal(2, executor.Attempts(job.Id));
        var kinds = (await PlatformFixture.GetEventsAsync(client, job.Id)).Select(e => e.Kind).ToList();
        Assert.Equal(1, kinds.Count(k => k == "retry"));
        Assert.Equal("failed", kinds[^1]);
        var poison = await platform.Storage.Queues.GetQueueClient("jobs-poison").PeekMessagesAsync(32);
        var dead = poison.Value.Select(m => PlatformJson.Deserialize<PoisonMessage>(m.Body.ToString()));
        Assert.Contains(dead, m => m.JobId == job.Id && m.Reason.Contains("device-side assert"));
        AssertNoWorkspace(workspace);
    }

    [Fact]
    public async Task A_job_larger_than_the_workspace_budget_fails_at_once_before_any_download()
    {
        var (client, job) = await SubmitAsync();
        var executor = new RecordingExecutor(TimeSpan.Zero);
        // 1e-9 GiB is one byte: less than the test base model's config.json alone.
        var runner = Runner(executor, "r-budget", new Dictionary<string, string?> { ["Runner:WorkspaceBudgetGiB"] = "1e-9" });
        var workspace = WorkspaceOf(runner, job.Id);

        var done = await RunUntilAsync(client, job.Id, j => j.Status.IsFinal(), runner);

        Assert.True(JobStatus.Failed == done.Status,
            $"{done.Status}: {string.Join("\n", (await PlatformFixture.GetEventsAsync(client, job.Id)).Select(e => $"{e.Kind} {e.Message}"))}");
        Assert.Equal(1, done.Attempts);
        Assert.Contains("needs about", done.Error);
        Assert.Contains("Runner__WorkspaceBudgetGiB", done.Error);
        Assert.Contains("allows 1 bytes", done.Error);
        Assert.Equal(0, executor.Executions(job.Id));
        AssertNoWorkspace(workspace);
    }

    [Fact]
    public async Task A_job_with_a_missing_base_model_fails_at_once_without_retries()
    {
        var (client, job) = await SubmitAsync();
        await BlobFolders.DeleteAsync(platform.Storage.Container(StorageNames.ModelsContainer), "base/" + TestBaseModel.Name + "/", CancellationToken.None);
        try
        {
            var done = await RunUntilAsync(client, job.Id, j => j.Status.IsFinal(), Runner(new RecordingExecutor(TimeSpan.Zero), "r-nobase"));

            Assert.Equal(JobStatus.Failed, done.Status);
            Assert.Contains("seed-base-model", done.Error);
            Assert.Equal(1, done.Attempts);
        }
        finally
        {
            await TestBaseModel.ReseedAsync(platform);
        }
    }

    [Fact]
    public async Task A_runner_shutting_down_gives_the_job_back_and_the_next_runner_resumes_from_the_checkpoint()
    {
        var (client, job) = await SubmitAsync();
        var first = new UntilCancelledExecutor();
        var preempted = Runner(first, "r-preempted");
        var workspace = WorkspaceOf(preempted, job.Id);
        using (var runner = preempted)
        {
            using var stop = new CancellationTokenSource();
            var loop = runner.GetRequiredService<JobWorker>().RunAsync(stop.Token);
            await first.Started(job.Id).WaitAsync(Patience);
            await stop.CancelAsync();   // what SIGTERM does in the worker verb
            await loop;
        }
        var released = await PlatformFixture.GetJobAsync(client, job.Id);
        Assert.Equal(JobStatus.Queued, released.Status);
        Assert.Equal(0, released.Attempts);
        Assert.Null(released.LeaseOwner);

        var second = new RecordingExecutor(TimeSpan.FromMilliseconds(200));
        var done = await RunUntilAsync(client, job.Id, j => j.Status.IsFinal(), Runner(second, "r-successor"));

        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.True(second.FoundCheckpoint[job.Id], "the successor did not get the checkpoint the first runner saved");
        // The first runner pruned last/ locally after each upload and removed its workspace; the successor got the
        // newest last/ (without the file only the older one had) and the best/ that the newer checkpoint did not rewrite.
        AssertNoWorkspace(workspace);
        Assert.Equal(["best/config.json", "last/trainer_state.json"], second.RestoredFiles[job.Id]);
        Assert.Contains("released", (await PlatformFixture.GetEventsAsync(client, job.Id)).Select(e => e.Kind));
    }

    private async Task<(HttpClient Client, JobRecord Job)> SubmitAsync()
    {
        await TestBaseModel.EnsureSeededAsync(platform);
        var client = platform.Client(PlatformFixture.NewUser());
        var dataset = await PlatformFixture.UploadAsync(client, PlatformFixture.SampleCsv());
        return (client, await PlatformFixture.SubmitAsync(client, new { trainingDataset = dataset.Id, baseModel = TestBaseModel.Name }));
    }

    private ServiceProvider Runner(IJobExecutor executor, string id, IDictionary<string, string?>? overrides = null) =>
        platform.Runner(executor, id + "-" + Guid.NewGuid().ToString("N")[..6], overrides);

    /// <summary>Runs the runners until the job satisfies <paramref name="done"/>, then stops them.</summary>
    private static async Task<JobRecord> RunUntilAsync(HttpClient client, string jobId, Func<JobRecord, bool> done, params ServiceProvider[] runners)
    {
        using var stop = new CancellationTokenSource();
        var loops = runners.Select(r => r.GetRequiredService<JobWorker>().RunAsync(stop.Token)).ToList();
        try
        {
            return await PlatformFixture.WaitForJobAsync(client, jobId, done, Patience);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(loops);
            foreach (var runner in runners) await runner.DisposeAsync();
        }
    }

    /// <summary>The job's local folder on that runner (base model, data, checkpoints, output); read it before the runner is disposed.</summary>
    private static string WorkspaceOf(ServiceProvider runner, string jobId) =>
        Path.Combine(runner.GetRequiredService<Microsoft.Extensions.Options.IOptions<RunnerOptions>>().Value.WorkDirectory, jobId);

    /// <summary>The runner deleted the job's local folder when the attempt ended.</summary>
    private static void AssertNoWorkspace(string workspace) => Assert.False(Directory.Exists(workspace), $"{workspace} is still there");

    private async Task AssertNoBlobsAsync(string container, string prefix)
    {
        await foreach (var blob in platform.Storage.Container(container).GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, CancellationToken.None))
            Assert.Fail($"{container}/{blob.Name} should have been removed");
    }
}
