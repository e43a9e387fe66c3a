using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BertPlatform.Shared.Storage;

namespace BertPlatform.Integration.Tests;

/// <summary>A browser form or <c>curl -F</c> sends multipart/form-data: its one file part is the dataset.</summary>
[Collection("platform")]
public sealed class MultipartUploadTests(PlatformFixture platform)
{
    [Fact]
    public async Task The_file_part_of_a_form_is_stored_exactly_with_metadata_from_the_form_fields()
    {
        var user = PlatformFixture.NewUser();
        using var client = platform.Client(user);
        var csv = PlatformFixture.SampleCsv(10);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("from-a-form"), "name" },
            { new StringContent("csv"), "format" },
            { new StringContent("text_classification"), "task" },
        };
        var file = new StringContent(csv, Encoding.UTF8, "text/csv");
        form.Add(file, "file", "reviews.csv");

        using var response = await client.PostAsync("api/datasets", form);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var dataset = JsonDocument.Parse(body).RootElement.GetProperty("dataset");
        Assert.Equal("from-a-form", dataset.GetProperty("name").GetString());
        Assert.Equal(10, dataset.GetProperty("rowCount").GetInt64());
        var blob = platform.Storage.Container(StorageNames.DatasetsContainer).GetBlobClient(dataset.GetProperty("blobName").GetString());
        // The multipart envelope (boundaries, part headers) is not part of the stored file.
        Assert.Equal(csv, (await blob.DownloadContentAsync()).Value.Content.ToString());
    }

    [Fact]
    public async Task A_form_with_two_files_is_refused_and_leaves_nothing()
    {
        var user = PlatformFixture.NewUser();
        using var client = platform.Client(user);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(PlatformFixture.SampleCsv(4), Encoding.UTF8, "text/csv"), "file", "a.csv" },
            { new StringContent(PlatformFixture.SampleCsv(4), Encoding.UTF8, "text/csv"), "file", "b.csv" },
        };

        using var response = await client.PostAsync("api/datasets?name=two&format=csv&task=text_classification", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("b.csv", await response.Content.ReadAsStringAsync());
        await StorageLeftovers.AssertNoneAsync(platform, "user:" + user);
    }

    [Fact]
    public async Task A_form_without_a_file_part_is_a_problem()
    {
        using var client = platform.Client(PlatformFixture.NewUser());
        using var form = new MultipartFormDataContent { { new StringContent("x"), "name" } };

        using var response = await client.PostAsync("api/datasets?name=x&format=csv&task=text_classification", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no file part", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("image/png")]
    [InlineData("application/pdf")]
    [InlineData("application/zip")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Content_types_that_cannot_be_a_dataset_answer_415(string contentType)
    {
        var user = PlatformFixture.NewUser();
        using var client = platform.Client(user);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(PlatformFixture.SampleCsv(4)));
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        using var response = await client.PostAsync("api/datasets?name=x&format=csv&task=text_classification", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("Content-Type", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
        await StorageLeftovers.AssertNoneAsync(platform, "user:" + user);
    }

    [Theory]
    [InlineData("text/csv")]
    [InlineData("application/octet-stream")]
    [InlineData("application/x-ndjson")]
    public async Task Text_and_generic_content_types_are_accepted(string contentType)
    {
        using var client = platform.Client(PlatformFixture.NewUser());
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(PlatformFixture.SampleCsv(4)));
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        using var response = await client.PostAsync("api/datasets?name=x&format=csv&task=text_classification", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
