using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs.Specialized;
using BertPlatform.Functions.Tests.OpenApi;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Storage;

namespace BertPlatform.Integration.Tests.Console;

/// <summary>Real answers of the running API, each held to the status codes and schemas the OpenAPI document promises.</summary>
[Collection("console")]
public sealed class OpenApiResponseTests(PlatformFixture platform)
{
    private const string BaseModel = "openapi-tiny-bert";
    private readonly OpenApiContract contract = OpenApiContract.Load();

    [Fact]
    public async Task Dataset_responses_match_the_documented_schemas()
    {
        var client = platform.Client(PlatformFixture.NewUser());

        using var created = await client.PostAsync("api/datasets?name=reviews&format=csv&task=text_classification",
            new StringContent(TinySentimentModel.Reviews(40, seed: 1), Encoding.UTF8, "text/csv"));
        await contract.AssertMatchesAsync(created, "POST", "/datasets");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["dataset"]!["id"]!.GetValue<string>();

        using var invalid = await client.PostAsync("api/datasets?name=bad&format=csv&task=text_classification",
            new StringContent("text,label\n,positive\nfine,negative,extra\n", Encoding.UTF8, "text/csv"));
        await contract.AssertMatchesAsync(invalid, "POST", "/datasets");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("row 1", await invalid.Content.ReadAsStringAsync());

        using var badFormat = await client.PostAsync("api/datasets?name=bad&format=xlsx&task=text_classification", new StringContent("x"));
        await contract.AssertMatchesAsync(badFormat, "POST", "/datasets");

        using var list = await client.GetAsync("api/datasets");
        await contract.AssertMatchesAsync(list, "GET", "/datasets");
        using var one = await client.GetAsync($"api/datasets/{id}");
        await contract.AssertMatchesAsync(one, "GET", "/datasets/{id}");
        using var missing = await client.GetAsync("api/datasets/ds-nothing");
        await contract.AssertMatchesAsync(missing, "GET", "/datasets/{id}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var deleted = await client.DeleteAsync($"api/datasets/{id}");
        await contract.AssertMatchesAsync(deleted, "DELETE", "/datasets/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task Multipart_and_refused_content_type_uploads_match_the_documented_schemas()
    {
        var client = platform.Client(PlatformFixture.NewUser());

        using var form = new MultipartFormDataContent
        {
            { new StringContent("form-reviews"), "name" },
            { new StringContent("csv"), "format" },
            { new StringContent("text_classification"), "task" },
            { new StringContent(TinySentimentModel.Reviews(20, seed: 3), Encoding.UTF8, "text/csv"), "file", "reviews.csv" },
        };
        using var created = await client.PostAsync("api/datasets", form);
        await contract.AssertMatchesAsync(created, "POST", "/datasets");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var image = new ByteArrayContent([0x89, 0x50, 0x4e, 0x47]);
        image.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        using var refused = await client.PostAsync("api/datasets?name=picture&format=csv&task=text_classification", image);
        await contract.AssertMatchesAsync(refused, "POST", "/datasets");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
    }

    [Fact]
    public async Task Direct_upload_responses_match_the_documented_schemas()
    {
        var client = platform.Client(PlatformFixture.NewUser());
        var csv = Encoding.UTF8.GetBytes(TinySentimentModel.Reviews(20, seed: 4));

        using var noSize = await client.PostAsJsonAsync("api/datasets/uploads", new { name = "direct", format = "csv", task = "text_classification" });
        await contract.AssertMatchesAsync(noSize, "POST", "/datasets/uploads");
        Assert.Equal(HttpStatusCode.BadRequest, noSize.StatusCode);
        using var huge = await client.PostAsJsonAsync("api/datasets/uploads", new { name = "direct", format = "csv", task = "text_classification", bytes = long.MaxValue });
        await contract.AssertMatchesAsync(huge, "POST", "/datasets/uploads");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);

        using var created = await client.PostAsJsonAsync("api/datasets/uploads",
            new { name = "direct", format = "csv", task = "text_classification", columns = new { text = "text" }, bytes = csv.Length });
        await contract.AssertMatchesAsync(created, "POST", "/datasets/uploads");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var id = body["dataset"]!["id"]!.GetValue<string>();
        Assert.Equal("awaiting_upload", body["dataset"]!["status"]!.GetValue<string>());

        using var early = await client.PostAsync($"api/datasets/{id}/complete", null);
        await contract.AssertMatchesAsync(early, "POST", "/datasets/{id}/complete");
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        await new BlockBlobClient(new Uri(body["upload"]!["uploadUrl"]!.GetValue<string>())).UploadAsync(new MemoryStream(csv));
        using var completed = await client.PostAsync(body["upload"]!["completeUrl"]!.GetValue<string>().TrimStart('/'), null);
        await contract.AssertMatchesAsync(completed, "POST", "/datasets/{id}/complete");
        Assert.Equal(HttpStatusCode.Accepted, completed.StatusCode);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (JsonNode.Parse(await client.GetStringAsync($"api/datasets/{id}"))!["status"]!.GetValue<string>() != "ready")
        {
            Assert.True(DateTime.UtcNow < deadline, $"dataset {id} did not become ready");
            await Task.Delay(200);
        }
        using var ready = await client.GetAsync($"api/datasets/{id}");
        await contract.AssertMatchesAsync(ready, "GET", "/datasets/{id}");
        using var again = await client.PostAsync($"api/datasets/{id}/complete", null);
        await contract.AssertMatchesAsync(again, "POST", "/datasets/{id}/complete");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var list = await client.GetAsync("api/datasets");
        await contract.AssertMatchesAsync(list, "GET", "/datasets");
    }

    [Fact]
    public async Task Delete_responses_match_the_documented_schemas_including_in_use_conflicts()
    {
        var user = PlatformFixture.NewUser();
        var client = platform.Client(user);
        var dataset = await PlatformFixture.UploadAsync(client, TinySentimentModel.Reviews(20, seed: 5));
        var modelId = "job-" + Guid.NewGuid().ToString("N")[..16];
        await new ModelRepository(platform.Storage).SaveAsync(new ModelRecord
        {
            Id = modelId, Owner = "user:" + user, JobId = modelId, Task = TaskType.TextClassification, BaseModel = BaseModel,
            BlobPrefix = StorageNames.TrainedModelPrefix(modelId),
        }, CancellationToken.None);
        // No runner serves this collection's queue: the job stays queued and keeps both in use.
        var job = await PlatformFixture.SubmitAsync(client, new { trainingDataset = dataset.Id, baseModel = "model:" + modelId });

        using var datasetInUse = await client.DeleteAsync($"api/datasets/{dataset.Id}");
        await contract.AssertMatchesAsync(datasetInUse, "DELETE", "/datasets/{id}");
        Assert.Equal(HttpStatusCode.Conflict, datasetInUse.StatusCode);
        using var modelInUse = await client.DeleteAsync($"api/models/{modelId}");
        await contract.AssertMatchesAsync(modelInUse, "DELETE", "/models/{id}");
        Assert.Equal(HttpStatusCode.Conflict, modelInUse.StatusCode);
        Assert.Contains(job.Id, await modelInUse.Content.ReadAsStringAsync());
        using var jobQueued = await client.DeleteAsync($"api/jobs/{job.Id}");
        await contract.AssertMatchesAsync(jobQueued, "DELETE", "/jobs/{id}");
        Assert.Equal(HttpStatusCode.Conflict, jobQueued.StatusCode);

        (await client.PostAsync($"api/jobs/{job.Id}/cancel", null)).Dispose();
        foreach (var (route, template) in new[] { ($"api/jobs/{job.Id}", "/jobs/{id}"), ($"api/models/{modelId}", "/models/{id}"), ($"api/datasets/{dataset.Id}", "/datasets/{id}") })
        {
            using var deleted = await client.DeleteAsync(route);
            await contract.AssertMatchesAsync(deleted, "DELETE", template);
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            using var gone = await client.DeleteAsync(route);
            await contract.AssertMatchesAsync(gone, "DELETE", template);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
    }

    [Fact]
    public async Task Job_responses_match_the_documented_schemas()
    {
        await TinySentimentModel.SeedAsync(platform, BaseModel);
        var client = platform.Client(PlatformFixture.NewUser());
        var dataset = await PlatformFixture.UploadAsync(client, TinySentimentModel.Reviews(40, seed: 2));

        using var invalid = await client.PostAsJsonAsync("api/jobs", new { trainingDataset = dataset.Id, baseModel = BaseModel, hyperparameters = new { learningRate = 3, epochs = 0 } });
        await contract.AssertMatchesAsync(invalid, "POST", "/jobs");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        using var malformed = await client.PostAsync("api/jobs", new StringContent("{\"hyperparameters\":{\"epochs\":\"many\"}}", Encoding.UTF8, "application/json"));
        await contract.AssertMatchesAsync(malformed, "POST", "/jobs");

        // No runner serves this collection's queue now: the job stays queued, so cancelling it is immediate.
        using var submitted = await client.PostAsJsonAsync("api/jobs", new { trainingDataset = dataset.Id, baseModel = BaseModel, hyperparameters = new { epochs = 1, evalSteps = 5 } });
        await contract.AssertMatchesAsync(submitted, "POST", "/jobs");
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var id = JsonNode.Parse(await submitted.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

        using var job = await client.GetAsync($"api/jobs/{id}");
        await contract.AssertMatchesAsync(job, "GET", "/jobs/{id}");
        using var jobs = await client.GetAsync("api/jobs");
        await contract.AssertMatchesAsync(jobs, "GET", "/jobs");
        using var cancelled = await client.PostAsync($"api/jobs/{id}/cancel", null);
        await contract.AssertMatchesAsync(cancelled, "POST", "/jobs/{id}/cancel");
        using var again = await client.PostAsync($"api/jobs/{id}/cancel", null);
        await contract.AssertMatchesAsync(again, "POST", "/jobs/{id}/cancel");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var events = await client.GetAsync($"api/jobs/{id}/events?after=0");
        await contract.AssertMatchesAsync(events, "GET", "/jobs/{id}/events");
        Assert.Contains("cancelled", await events.Content.ReadAsStringAsync());
        using var badAfter = await client.GetAsync($"api/jobs/{id}/events?after=-1");
        await contract.AssertMatchesAsync(badAfter, "GET", "/jobs/{id}/events");
        Assert.Equal(HttpStatusCode.BadRequest, badAfter.StatusCode);
        using var models = await client.GetAsync("api/models");
        await contract.AssertMatchesAsync(models, "GET", "/models");
        using var noModel = await client.GetAsync($"api/models/{id}");
        await contract.AssertMatchesAsync(noModel, "GET", "/models/{id}");
    }

    [Fact]
    public async Task The_document_and_the_console_are_served_as_documented()
    {
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = platform.BaseAddress };

        using var document = await noRedirects.GetAsync("api/openapi.json");
        await contract.AssertMatchesAsync(document, "GET", "/openapi.json");
        Assert.Equal("3.1.0", JsonNode.Parse(await document.Content.ReadAsStringAsync())!["openapi"]!.GetValue<string>());

        using var bare = await noRedirects.GetAsync("api/console?code=k");
        await contract.AssertMatchesAsync(bare, "GET", "/console/{path}");
        Assert.Equal("/api/console/?code=k", bare.Headers.Location?.OriginalString);
        using var page = await noRedirects.GetAsync("api/console/");
        await contract.AssertMatchesAsync(page, "GET", "/console/{path}");
        Assert.Contains("<main id=\"view\"", await page.Content.ReadAsStringAsync());
        using var chart = await noRedirects.GetAsync("api/console/vendor/uPlot.iife.min.js");
        Assert.Equal(HttpStatusCode.OK, chart.StatusCode);
        using var nothing = await noRedirects.GetAsync("api/console/../host.json");
        Assert.NotEqual(HttpStatusCode.OK, nothing.StatusCode);
        using var unknown = await noRedirects.GetAsync("api/console/nothing.js");
        await contract.AssertMatchesAsync(unknown, "GET", "/console/{path}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}

[CollectionDefinition("console")]
public sealed class ConsoleCollection : ICollectionFixture<PlatformFixture>;
