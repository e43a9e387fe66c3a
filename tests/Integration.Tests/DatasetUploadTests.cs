using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using BertPlatform.Shared.Storage;

namespace BertPlatform.Integration.Tests;

[Collection("platform")]
public sealed class DatasetUploadTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_valid_csv_is_stored_as_one_blob_with_its_record_and_report()
    {
        var user = PlatformFixture.NewUser();
        using var client = platform.Client(user);

        var dataset = await PlatformFixture.UploadAsync(client, PlatformFixture.SampleCsv(24));

        Assert.Equal(24, dataset.RowCount);
        Assert.Equal(12, dataset.LabelCounts["positive"]);
        Assert.Equal(12, dataset.LabelCounts["negative"]);
        Assert.Equal(Encoding.UTF8.GetByteCount(PlatformFixture.SampleCsv(24)), dataset.Bytes);
        var blob = platform.Storage.Container(StorageNames.DatasetsContainer).GetBlobClient(dataset.BlobName);
        var stored = (await blob.DownloadContentAsync()).Value.Content.ToString();
        Assert.Equal(PlatformFixture.SampleCsv(24), stored);

        var fetched = JsonDocument.Parse(await client.GetStringAsync($"api/datasets/{dataset.Id}")).RootElement;
        Assert.Equal("reviews", fetched.GetProperty("name").GetString());
        Assert.Equal("csv", fetched.GetProperty("format").GetString());
        Assert.Equal("text_classification", fetched.GetProperty("task").GetString());
        var listed = JsonDocument.Parse(await client.GetStringAsync("api/datasets")).RootElement;
        Assert.Equal(dataset.Id, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_dataset_bigger_than_one_block_streams_through_several_blocks_intact()
    {
        using var client = platform.Client(PlatformFixture.NewUser());
        var csv = PlatformFixture.SampleCsv(200_000);   // ~6 MB: more than one 4 MiB block

        var dataset = await PlatformFixture.UploadAsync(client, csv, "big");

        var blob = platform.Storage.Container(StorageNames.DatasetsContainer).GetBlockBlobClient(dataset.BlobName);
        var blocks = (await blob.GetBlockListAsync(BlockListTypes.Committed)).Value.CommittedBlocks.ToList();
        Assert.Equal(2, blocks.Count);
        Assert.Equal(csv, (await blob.DownloadContentAsync()).Value.Content.ToString());
        Assert.Equal(200_000, dataset.RowCount);
    }

    [Fact]
    public async Task An_invalid_dataset_answers_row_level_errors_and_stores_nothing()
    {
        var user = PlatformFixture.NewUser();
        using var client = platform.Client(user);
        var csv = "text,label\ngood one,positive\n,negative\nfine,positive\n";

        using var response = await client.PostAsync("api/datasets?name=broken&format=csv&task=text_classification",
            new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("text", error.GetProperty("column").GetString());
        Assert.Equal("row 2", error.GetProperty("location").GetString());   // the second data row has the empty text

        var owned = platform.Storage.Container(StorageNames.DatasetsContainer).GetBlobsAsync(BlobTraits.None, BlobStates.None, StorageNames.OwnerKey("user:" + user) + "/", CancellationToken.None);
        await foreach (var blob in owned) Assert.Fail($"blob {blob.Name} was left behind");
        Assert.Equal("[]", await client.GetStringAsync("api/datasets"));
    }

    [Theory]
    [InlineData("format=csv&task=text_classification", "name")]
    [InlineData("name=x&format=parquet&task=text_classification", "format")]
    [InlineData("name=x&format=csv&task=summarization", "task")]
    [InlineData("name=x&format=csv&task=text_classification&problemType=ranking", "problemType")]
    public async Task Bad_upload_metadata_is_a_problem_naming_the_field(string query, string field)
    {
        using var client = platform.Client(PlatformFixture.NewUser());

        using var response = await client.PostAsync("api/datasets?" + query, new StringContent(PlatformFixture.SampleCsv(), Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task An_oversized_name_is_refused_naming_the_field()
    {
        using var client = platform.Client(PlatformFixture.NewUser());

        using var response = await client.PostAsync($"api/datasets?name={new string('n', 201)}&format=csv&task=text_classification",
            new StringContent(PlatformFixture.SampleCsv(), Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("name", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Metadata_may_come_as_headers()
    {
        using var client = platform.Client(PlatformFixture.NewUser());
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/datasets") { Content = new StringContent("review,stars\nnice,5\nbad,1\n", Encoding.UTF8, "text/csv") };
        request.Headers.Add("x-dataset-name", "by-headers");
        request.Headers.Add("x-dataset-format", "csv");
        request.Headers.Add("x-dataset-task", "text_classification");
        request.Headers.Add("x-dataset-text-column", "review");
        request.Headers.Add("x-dataset-label-column", "stars");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var dataset = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("dataset");
        Assert.Equal("review", dataset.GetProperty("columns").GetProperty("text").GetString());
        Assert.Equal("stars", dataset.GetProperty("columns").GetProperty("label").GetString());
    }

    [Fact]
    public async Task Deleting_a_dataset_removes_its_blob_and_record()
    {
        using var client = platform.Client(PlatformFixture.NewUser());
        var dataset = await PlatformFixture.UploadAsync(client, PlatformFixture.SampleCsv());

        using var deleted = await client.DeleteAsync($"api/datasets/{dataset.Id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.False((await platform.Storage.Container(StorageNames.DatasetsContainer).GetBlobClient(dataset.BlobName).ExistsAsync()).Value);
        using var fetched = await client.GetAsync($"api/datasets/{dataset.Id}");
        Assert.Equal(HttpStatusCode.NotFound, fetched.StatusCode);
    }
}
