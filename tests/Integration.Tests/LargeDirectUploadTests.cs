using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs.Specialized;
using BertPlatform.Integration.Tests.Console;
using BertPlatform.Integration.Tests.Tasks;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Storage;
using Xunit.Abstractions;

namespace BertPlatform.Integration.Tests;

/// <summary>
/// The large-dataset path end to end, at the size it exists for: a 1 GiB CSV generated on the fly goes up in parallel
/// 8 MiB blocks with the write-only SAS, is completed, validated off the request to ready, and trained on by a real CPU
/// runner (maxSteps keeps the run short; the runner streams the file instead of reading it into memory). Its own
/// collection and Azurite, so it runs beside the other collections instead of after them.
/// </summary>
[Collection("large-upload")]
public sealed class LargeDirectUploadTests(PlatformFixture platform, ITestOutputHelper output)
{
    private const long FileBytes = 1L << 30;
    private const int BlockBytes = 8 * 1024 * 1024;
    private const int ParallelBlocks = 4;
    private const int MaxSteps = 40;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_generated_1_GiB_csv_uploaded_in_parallel_blocks_is_validated_and_trained_on_with_memory_bounded()
    {
        var baseModel = "large-" + Guid.NewGuid().ToString("N")[..8];
        await TinySentimentModel.SeedAsync(platform, baseModel, hiddenSize: 64, heads: 4);
        var user = PlatformFixture.NewUser();
        using var client = platform.Client(user);
        var validation = await PlatformFixture.UploadAsync(client, TinySentimentModel.Reviews(200, seed: 2), "large-validation");
        var memory = PeakMemory.Reset();

        var clock = Stopwatch.StartNew();
        var cpu = CpuSeconds();
        var (dataset, upload) = await DirectUploadTests.CreateAsync(client, new { name = "large", format = "csv", task = "text_classification", bytes = FileBytes });
        var csv = new GeneratedCsv("text,label\n", TinySentimentModel.ReviewRows(seed: 11), FileBytes);
        var blocks = await UploadAsync(new BlockBlobClient(upload.UploadUrl), csv);
        var uploaded = clock.Elapsed;
        var uploadCpu = CpuSeconds() - cpu;
        using (var completed = await client.PostAsync(upload.CompleteUrl.TrimStart('/'), null))
            Assert.Equal(HttpStatusCode.Accepted, completed.StatusCode);
        var ready = await DirectUploadTests.WaitForSettledAsync(client, dataset.Id, Patience);
        var validated = clock.Elapsed - uploaded;
        var validationCpu = CpuSeconds() - cpu - uploadCpu;
        var validationPeak = memory.GrowthMiB();

        Assert.True(ready.Status == DatasetStatus.Ready, $"{ready.Status}: {string.Join("; ", ready.Errors?.Select(e => $"{e.Location} {e.Column}: {e.Message}") ?? [])}");
        Assert.Equal(FileBytes, ready.Bytes);
        Assert.Equal(csv.Rows, ready.RowCount);
        Assert.Equal(csv.LabelCounts.OrderBy(p => p.Key), ready.LabelCounts.OrderBy(p => p.Key));
        Assert.Equal(["text", "label"], ready.ColumnsFound);

        memory = PeakMemory.Reset();
        var jobCpu = CpuSeconds();
        var run = await new TaskJobHarness(platform, output).RunAsync(client, new
        {
            task = "text_classification", baseModel, trainingDataset = ready.Id, validationDataset = validation.Id,
            hyperparameters = new { maxSteps = MaxSteps, batchSize = 32, learningRate = 3e-3, maxSequenceLength = 16, evalSteps = 20, seed = 5 },
        }, "1 GiB direct upload", (int)csv.Rows);
        var trainingPeak = memory.GrowthMiB();
        jobCpu = CpuSeconds() - jobCpu;

        // 40 steps of 32 reviews whose one sentiment word decides the label: the untrained model guesses (about 0.5).
        run.AssertGainOverBaseline("accuracy", 0.25);
        var metrics = JsonDocument.Parse(await client.GetStringAsync($"api/models/{run.Job.Id}/files/metrics.json")).RootElement;
        Assert.Equal(MaxSteps, metrics.GetProperty("steps").GetInt32());
        Assert.Equal(csv.Rows, metrics.GetProperty("trainExamples").GetInt64());
        var events = await PlatformFixture.GetEventsAsync(client, run.Job.Id);
        Assert.Contains(events, e => e.Message.Contains("streamed from disk", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Message.StartsWith($"schedule: {MaxSteps} optimizer steps", StringComparison.Ordinal));
        // Neither the validation nor the runner held the file: a copy of it alone would be 1,024 MiB more. The bound
        // leaves room for the other collections training in this process meanwhile (+320 MiB seen beside pre-training).
        Assert.True(validationPeak < 768, $"the test process grew by {validationPeak} MiB while the 1 GiB upload was validated");
        Assert.True(trainingPeak < 768, $"the test process grew by {trainingPeak} MiB while the runner trained on the 1 GiB dataset");

        // Nothing of the gigabyte stays behind: not in storage, not in the runner's work folder.
        foreach (var id in new[] { ready.Id, validation.Id })
            using (var deleted = await client.DeleteAsync($"api/datasets/{id}"))
                Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await StorageLeftovers.AssertNoneAsync(platform, "user:" + user);
        var runnerFiles = Path.Combine(Path.GetTempPath(), "bert-runner-tests");
        Assert.Empty(Directory.Exists(runnerFiles)
            ? Directory.EnumerateFiles(runnerFiles, "*", SearchOption.AllDirectories).Where(f => new FileInfo(f).Length >= FileBytes)
            : []);
        var started = events.First(e => e.Kind == "started").Timestamp;
        var inputsReady = events.First(e => e.Message.StartsWith("Inputs ready", StringComparison.Ordinal)).Timestamp;
        // Wall times depend on what else runs; CPU seconds (this process, which hosts the API and the runner, plus Azurite) much less.
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"1 GiB direct upload: {csv.Rows:N0} rows in {blocks} blocks of 8 MiB ({ParallelBlocks} in parallel) generated and uploaded in {uploaded.TotalSeconds:F1} s ({uploadCpu:F1} CPU s), validated in {validated.TotalSeconds:F1} s ({validationCpu:F1} CPU s, test process +{validationPeak} MiB at peak); job of {MaxSteps} steps in {run.Wall.TotalSeconds:F1} s ({jobCpu:F1} CPU s, download {(inputsReady - started).TotalSeconds:F1} s, +{trainingPeak} MiB at peak); load average {File.ReadAllText("/proc/loadavg").Trim()}"));
    }

    private double CpuSeconds() => (Process.GetCurrentProcess().TotalProcessorTime + platform.Azurite.ProcessorTime).TotalSeconds;

    /// <summary>Generates the file block by block and stages up to <see cref="ParallelBlocks"/> blocks at once; returns the block count.</summary>
    private static async Task<int> UploadAsync(BlockBlobClient blob, GeneratedCsv csv)
    {
        var ids = new List<string>();
        var staging = new List<Task>();
        using var slots = new SemaphoreSlim(ParallelBlocks);
        while (true)
        {
            await slots.WaitAsync();
            var buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
            var length = csv.Fill(buffer.AsSpan(0, BlockBytes));
            if (length == 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                slots.Release();
                break;
            }
            var id = DirectUploadTests.BlockId(ids.Count);
            ids.Add(id);
            staging.Add(Task.Run(async () =>
            {
                try
                {
                    await blob.StageBlockAsync(id, new MemoryStream(buffer, 0, length));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    slots.Release();
                }
            }));
        }
        await Task.WhenAll(staging);
        await blob.CommitBlockListAsync(ids);
        return ids.Count;
    }
}

[CollectionDefinition("large-upload")]
public sealed class LargeUploadCollection : ICollectionFixture<PlatformFixture>;
