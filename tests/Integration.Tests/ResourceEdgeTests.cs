using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Storage;

namespace BertPlatform.Integration.Tests;

/// <summary>Nulls, unusable identities, and deletes of jobs, models and datasets that jobs still use.</summary>
[Collection("platform")]
public sealed class ResourceEdgeTests(PlatformFixture platform)
{
    [Theory]
    [InlineData("hyperparameters")]
    [InlineData("columns")]
    [InlineData("baseModel")]
    [InlineData("tokenClassification")]
    [InlineData("questionAnswering")]
    [InlineData("pretraining")]
    public async Task Null_for_an_object_field_of_a_job_is_a_400_naming_the_field(string field)
    {
        using var client = platform.Client(PlatformFixture.NewUser());
        var body = $$"""{"task": "text_classification", "trainingDataset": "ds-x", "{{field}}": null}""";

        using var response = await client.PostAsync("api/jobs", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task An_identity_too_long_to_key_a_table_is_refused_with_401_not_500()
    {
        using var client = platform.Client(new string('u', 2000));

        using var listed = await client.GetAsync("api/datasets");
        using var uploaded = await client.PostAsync("api/datasets?name=x&format=csv&task=text_classification",
            new StringContent(PlatformFixture.SampleCsv(4), Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.Unauthorized, listed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, uploaded.StatusCode);
    }

    [Fact]
    public async Task Deleting_a_dataset_a_queued_job_uses_is_a_409_naming_the_job()
    {
        await TestBaseModel.EnsureSeededAsync(platform);
        using var client = platform.Client(PlatformFixture.NewUser());
        var dataset = await PlatformFixture.UploadAsync(client, PlatformFixture.SampleCsv());
        var job = await PlatformFixture.SubmitAsync(client, new { task = "text_classification", baseModel = TestBaseModel.Name, trainingDataset = dataset.Id });

        using var refused = await client.DeleteAsync($"api/datasets/{dataset.Id}");
        (await client.PostAsync($"api/jobs/{job.Id}/cancel", null)).Dispose();
        using var deleted = await client.DeleteAsync($"api/datasets/{dataset.Id}");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains(job.Id, await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task Deleting_a_finished_job_removes_its_record_events_and_checkpoints()
    {
        await TestBaseModel.EnsureSeededAsync(platform);
        using var client = platform.Client(PlatformFixture.NewUser());
        var dataset = await PlatformFixture.UploadAsync(client, PlatformFixture.SampleCsv());
        var job = await PlatformFixture.SubmitAsync(client, new { task = "text_classification", baseModel = TestBaseModel.Name, trainingDataset = dataset.Id });
        var checkpoints = platform.Storage.Container(StorageNames.CheckpointsContainer);
        await checkpoints.GetBlobClient(StorageNames.CheckpointPrefix(job.Id) + "step-1/state.bin").UploadAsync(BinaryData.FromString("x"));

        using var whileQueued = await client.DeleteAsync($"api/jobs/{job.Id}");
        (await client.PostAsync($"api/jobs/{job.Id}/cancel", null)).Dispose();
        using var deleted = await client.DeleteAsync($"api/jobs/{job.Id}");

        Assert.Equal(HttpStatusCode.Conflict, whileQueued.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var fetched = await client.GetAsync($"api/jobs/{job.Id}");
        Assert.Equal(HttpStatusCode.NotFound, fetched.StatusCode);
        var events = platform.Storage.Table(StorageNames.JobEventsTable).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {job.Id}"));
        await foreach (var e in events) Assert.Fail($"event {e.RowKey} of the deleted job is left");
        await foreach (var blob in checkpoints.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, StorageNames.CheckpointPrefix(job.Id), CancellationToken.None)) Assert.Fail($"checkpoint {blob.Name} is left");
    }

    [Fact]
    public async Task Deleting_a_model_removes_its_files_and_record()
    {
        var user = PlatformFixture.NewUser();
        using var client = platform.Client(user);
        var modelId = "job-" + Guid.NewGuid().ToString("N")[..16];
        var models = platform.Storage.Container(StorageNames.ModelsContainer);
        await models.GetBlobClient(StorageNames.TrainedModelPrefix(modelId) + "config.json").UploadAsync(BinaryData.FromString("{}"));
        await new ModelRepository(platform.Storage).SaveAsync(new ModelRecord
        {
            Id = modelId, Owner = "user:" + user, JobId = modelId, Task = TaskType.TextClassification, BaseModel = "b",
            BlobPrefix = StorageNames.TrainedModelPrefix(modelId), Files = [new ModelFile("config.json", 2)],
        }, CancellationToken.None);

        using var deleted = await client.DeleteAsync($"api/models/{modelId}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var fetched = await client.GetAsync($"api/models/{modelId}");
        Assert.Equal(HttpStatusCode.NotFound, fetched.StatusCode);
        await foreach (var blob in models.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, StorageNames.TrainedModelPrefix(modelId), CancellationToken.None)) Assert.Fail($"model file {blob.Name} is left");
    }

    [Fact]
    public async Task A_job_field_given_twice_is_a_400_instead_of_one_of_the_values()
    {
        using var client = platform.Client(PlatformFixture.NewUser());
        const string body = """{"task": "text_classification", "trainingDataset": "ds-a", "trainingDataset": "ds-b"}""";

        using var response = await client.PostAsync("api/jobs", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("trainingDataset", await response.Content.ReadAsStringAsync());
    }
}
