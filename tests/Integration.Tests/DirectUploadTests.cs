using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Specialized;
using BertPlatform.Functions.Datasets;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace BertPlatform.Integration.Tests;

/// <summary>
/// Direct uploads on Azurite: a write-only SAS for one blob, blocks staged in parallel by the client, complete, then
/// validation off the request (the LocalHost's queue poller calls the queue-triggered function) to ready or invalid.
/// </summary>
[Collection("platform")]
public sealed class DirectUploadTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_file_uploaded_in_parallel_blocks_with_the_sas_is_validated_off_the_request_and_trainable()
    {
        await TestBaseModel.EnsureSeededAsync(platform);
        var user = PlatformFixture.NewUser();
        using var client = platform.Client(user);
        var csv = Encoding.UTF8.GetBytes(PlatformFixture.SampleCsv(150_000));   // ~5 MB

        var (dataset, upload) = await CreateAsync(client, new { name = "direct", format = "csv", task = "text_classification", bytes = csv.Length });
        Assert.Equal(DatasetStatus.AwaitingUpload, dataset.Status);
        var blob = new BlockBlobClient(upload.UploadUrl);
        await UploadInParallelBlocksAsync(blob, csv, blockBytes: 1024 * 1024);
        using var completed = await client.PostAsync(upload.CompleteUrl.TrimStart('/'), null);
        Assert.Equal(HttpStatusCode.Accepted, completed.StatusCode);
        var ready = await WaitForSettledAsync(client, dataset.Id);

        Assert.Equal(DatasetStatus.Ready, ready.Status);
        Assert.Equal(150_000, ready.RowCount);
        Assert.Equal(75_000, ready.LabelCounts["positive"]);
        Assert.Equal(csv.Length, ready.Bytes);
        var stored = platform.Storage.Container(StorageNames.DatasetsContainer).GetBlobClient(ready.BlobName);
        Assert.Equal(csv, (await stored.DownloadContentAsync()).Value.Content.ToArray());
        // Write-only, and frozen once completed: the SAS can neither read the data nor change what was validated.
        var read = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DownloadContentAsync());
        Assert.Equal(403, read.Status);
        var overwrite = await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(new MemoryStream("text,label\nx,y\n"u8.ToArray())));
        Assert.Equal(412, overwrite.Status);
        var job = await PlatformFixture.SubmitAsync(client, new { task = "text_classification", baseModel = TestBaseModel.Name, trainingDataset = ready.Id });
        (await client.PostAsync($"api/jobs/{job.Id}/cancel", null)).Dispose();
    }

    [Fact]
    public async Task An_invalid_direct_upload_keeps_its_row_precise_errors_and_loses_its_blob()
    {
        var user = PlatformFixture.NewUser();
        using var client = platform.Client(user);
        var csv = Encoding.UTF8.GetBytes("text,label\ngood,positive\n,negative\nfine,positive\n");

        var (dataset, upload) = await CreateAsync(client, new { name = "bad", format = "csv", task = "text_classification", bytes = csv.Length });
        await new BlockBlobClient(upload.UploadUrl).UploadAsync(new MemoryStream(csv));
        (await client.PostAsync(upload.CompleteUrl.TrimStart('/'), null)).Dispose();
        var invalid = await WaitForSettledAsync(client, dataset.Id);

        Assert.Equal(DatasetStatus.Invalid, invalid.Status);
        var error = Assert.Single(invalid.Errors!);
        Assert.Equal(("row 2", "text"), (error.Location, error.Column));
        Assert.Empty(await StorageLeftovers.DatasetBlobsAsync(platform, "user:" + user));
        var job = await client.PostAsJsonAsync("api/jobs", new { task = "text_classification", trainingDataset = dataset.Id });
        Assert.Equal(HttpStatusCode.BadRequest, job.StatusCode);
        (await client.DeleteAsync($"api/datasets/{dataset.Id}")).Dispose();
        await StorageLeftovers.AssertNoneAsync(platform, "user:" + user);
    }

    [Fact]
    public async Task Completing_before_the_blob_is_committed_or_with_another_size_is_refused()
    {
        using var client = platform.Client(PlatformFixture.NewUser());
        var (dataset, upload) = await CreateAsync(client, new { name = "early", format = "csv", task = "text_classification", bytes = 100 });

        using var early = await client.PostAsync(upload.CompleteUrl.TrimStart('/'), null);
        await new BlockBlobClient(upload.UploadUrl).UploadAsync(new MemoryStream(Encoding.UTF8.GetBytes(PlatformFixture.SampleCsv(2))));
        using var wrongSize = await client.PostAsync(upload.CompleteUrl.TrimStart('/'), null);

        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Equal("blob", Field(await early.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.BadRequest, wrongSize.StatusCode);
        Assert.Equal("bytes", Field(await wrongSize.Content.ReadAsStringAsync()));
        Assert.Equal(DatasetStatus.AwaitingUpload, (await GetAsync(client, dataset.Id)).Status);
    }

    [Theory]
    [InlineData("""{"format": "csv", "task": "text_classification", "bytes": 10}""", HttpStatusCode.BadRequest, "name")]
    [InlineData("""{"name": "x", "format": "csv", "task": "text_classification"}""", HttpStatusCode.BadRequest, "bytes")]
    [InlineData("""{"name": "x", "format": "xls", "task": "text_classification", "bytes": 10}""", HttpStatusCode.BadRequest, "format")]
    [InlineData("""{"name": "x", "format": "csv", "task": "text_classification", "bytes": 99999999999999}""", HttpStatusCode.RequestEntityTooLarge, "bytes")]
    public async Task Bad_upload_requests_are_problems_naming_the_field(string body, HttpStatusCode status, string field)
    {
        var user = PlatformFixture.NewUser();
        using var client = platform.Client(user);

        using var response = await client.PostAsync("api/datasets/uploads", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(field, Field(await response.Content.ReadAsStringAsync()));
        await StorageLeftovers.AssertNoneAsync(platform, "user:" + user);
    }

    [Fact]
    public async Task Deleting_an_upload_in_progress_leaves_no_blob_no_uncommitted_block_and_no_row()
    {
        var user = PlatformFixture.NewUser();
        using var client = platform.Client(user);
        var (dataset, upload) = await CreateAsync(client, new { name = "abandoned", format = "csv", task = "text_classification", bytes = 10_000_000 });
        await new BlockBlobClient(upload.UploadUrl).StageBlockAsync(BlockId(0), new MemoryStream(new byte[1024 * 1024]));
        Assert.NotEmpty(await StorageLeftovers.DatasetBlobsAsync(platform, "user:" + user));   // the listing does see uncommitted blocks

        using var deleted = await client.DeleteAsync($"api/datasets/{dataset.Id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await StorageLeftovers.AssertNoneAsync(platform, "user:" + user);
    }

    [Fact]
    public async Task An_upload_never_completed_is_removed_when_it_expires_and_its_removal_is_scheduled_at_creation()
    {
        var user = PlatformFixture.NewUser();
        using var client = platform.Client(user);
        var (dataset, upload) = await CreateAsync(client, new { name = "expired", format = "csv", task = "text_classification", bytes = 10_000_000 });
        var blob = new BlockBlobClient(upload.UploadUrl);
        await blob.StageBlockAsync(BlockId(0), new MemoryStream(new byte[512 * 1024]));
        var scheduled = await platform.Storage.Queues.GetQueueClient(UploadQueue.Name).GetPropertiesAsync();
        Assert.True(scheduled.Value.ApproximateMessagesCount >= 1);

        // The expiry message is invisible until the SAS has expired; deliver it now, as the queue will then.
        var validation = new UploadValidation(new DatasetRepository(platform.Storage), platform.Storage, TimeProvider.System, NullLogger<UploadValidation>.Instance);
        await validation.ProcessAsync(new UploadMessage(UploadMessage.Expire, "user:" + user, dataset.Id), CancellationToken.None);

        await StorageLeftovers.AssertNoneAsync(platform, "user:" + user);
    }

    private static async Task UploadInParallelBlocksAsync(BlockBlobClient blob, byte[] data, int blockBytes)
    {
        var blocks = Enumerable.Range(0, (data.Length + blockBytes - 1) / blockBytes).ToList();
        await Parallel.ForEachAsync(blocks, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (index, ct) =>
        {
            var start = index * blockBytes;
            await blob.StageBlockAsync(BlockId(index), new MemoryStream(data, start, Math.Min(blockBytes, data.Length - start)), cancellationToken: ct);
        });
        await blob.CommitBlockListAsync(blocks.Select(BlockId));
    }

    internal static string BlockId(int index) => Convert.ToBase64String(Encoding.ASCII.GetBytes(index.ToString("D6")));

    internal static async Task<(DatasetRecord Dataset, DirectUploadTarget Upload)> CreateAsync(HttpClient client, object request)
    {
        using var response = await client.PostAsJsonAsync("api/datasets/uploads", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var root = JsonDocument.Parse(body).RootElement;
        return (root.GetProperty("dataset").Deserialize<DatasetRecord>(PlatformJson.Options)!,
            root.GetProperty("upload").Deserialize<DirectUploadTarget>(PlatformJson.Options)!);
    }

    private static async Task<DatasetRecord> GetAsync(HttpClient client, string id) =>
        PlatformJson.Deserialize<DatasetRecord>(await client.GetStringAsync($"api/datasets/{id}"));

    /// <param name="patience">A hang guard, not a performance bar.</param>
    internal static async Task<DatasetRecord> WaitForSettledAsync(HttpClient client, string id, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var record = await GetAsync(client, id);
            if (record.Status is DatasetStatus.Ready or DatasetStatus.Invalid) return record;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Dataset {id} is still {record.Status}.");
            await Task.Delay(200);
        }
    }

    private static string? Field(string problem) => JsonDocument.Parse(problem).RootElement.GetProperty("field").GetString();
}
