using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Integration.Tests;

[Collection("platform")]
public sealed class JobSubmissionTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_job_is_recorded_as_queued_and_its_message_is_sent()
    {
        await TestBaseModel.EnsureSeededAsync(platform);
        using var client = platform.Client(PlatformFixture.NewUser());
        var dataset = await PlatformFixture.UploadAsync(client, PlatformFixture.SampleCsv());

        using var response = await client.PostAsJsonAsync("api/jobs", new
        {
            task = "text_classification", baseModel = TestBaseModel.Name, trainingDataset = dataset.Id,
            hyperparameters = new { epochs = 2, learningRate = 5e-5 },
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = JsonSerializer.Deserialize<JobRecord>(await response.Content.ReadAsStringAsync(), PlatformJson.Options)!;
        Assert.Equal($"/api/jobs/{job.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(2, job.Spec.Hyperparameters.Epochs);
        Assert.Equal(32, job.Spec.Hyperparameters.BatchSize);   // the paper's default where the client is silent
        var stored = await PlatformFixture.GetJobAsync(client, job.Id);
        Assert.Equal(JobStatus.Queued, stored.Status);
        Assert.Equal("queued", Assert.Single(await PlatformFixture.GetEventsAsync(client, job.Id)).Kind);

        var queue = platform.Storage.Queues.GetQueueClient("jobs");
        var peeked = await queue.PeekMessagesAsync(32);
        var messages = peeked.Value.Select(m => PlatformJson.Deserialize<JobMessage>(m.Body.ToString()));
        Assert.Contains(messages, m => m.JobId == job.Id && m.Owner == job.Owner);
    }

    public static TheoryData<string, HttpStatusCode, string> BadSpecs => new()
    {
        { """{"trainingDataset":"ds-doesnotexist","baseModel":"test-bert"}""", HttpStatusCode.BadRequest, "trainingDataset" },
        { """{"task":"summarization","trainingDataset":"DATASET","baseModel":"test-bert"}""", HttpStatusCode.BadRequest, "task" },
        { """{"trainingDataset":"DATASET","baseModel":"test-bert","hyperparameters":{"learningRate":3}}""", HttpStatusCode.BadRequest, "hyperparameters.learningRate" },
        { """{"trainingDataset":"DATASET","baseModel":"test-bert","hyperparameters":{"epochs":0}}""", HttpStatusCode.BadRequest, "hyperparameters.epochs" },
        { """{"trainingDataset":"DATASET","baseModel":"test-bert","hyperparameters":{"maxSteps":0}}""", HttpStatusCode.BadRequest, "hyperparameters.maxSteps" },
        { """{"trainingDataset":"DATASET","baseModel":"test-bert","hyperparameters":{"maxSequenceLength":4096}}""", HttpStatusCode.BadRequest, "hyperparameters.maxSequenceLength" },
        { """{"trainingDataset":"DATASET","baseModel":"test-bert","hyperparameters":{"batchSize":"lots"}}""", HttpStatusCode.BadRequest, "hyperparameters.batchSize" },
        { """{"trainingDataset":"DATASET","baseModel":"test-bert","hyperparamters":{}}""", HttpStatusCode.BadRequest, "hyperparamters" },
        { """{"trainingDataset":"DATASET","baseModel":"test-bert",""", HttpStatusCode.BadRequest, "body" },
        { "", HttpStatusCode.BadRequest, "body" },
        { """{"trainingDataset":"DATASET","baseModel":"no-such-model"}""", HttpStatusCode.BadRequest, "baseModel" },
        { """{"trainingDataset":"DATASET","baseModel":"../../etc"}""", HttpStatusCode.BadRequest, "baseModel" },
        { $$"""{"trainingDataset":"{{new string('d', 101)}}","baseModel":"test-bert"}""", HttpStatusCode.BadRequest, "trainingDataset" },
        { $$$"""{"trainingDataset":"DATASET","baseModel":"test-bert","columns":{"text":"{{{new string('c', 201)}}}"}}""", HttpStatusCode.BadRequest, "columns.text" },
        { """{"trainingDataset":"DATASET","validationDataset":"ds-missing","baseModel":"test-bert"}""", HttpStatusCode.BadRequest, "validationDataset" },
        { """{"task":"question_answering","trainingDataset":"DATASET","baseModel":"test-bert"}""", HttpStatusCode.BadRequest, "trainingDataset" },
        { """{"trainingDataset":"DATASET","baseModel":"test-bert","validationSets":[{"name":"a","dataset":"DATASET"}],"selectOn":"b"}""", HttpStatusCode.BadRequest, "selectOn" },
        { """{"trainingDataset":"DATASET","baseModel":"test-bert","selectOn":"a"}""", HttpStatusCode.BadRequest, "selectOn" },
        { """{"trainingDataset":"DATASET","baseModel":"test-bert","validationDataset":"DATASET","validationSets":[{"name":"a","dataset":"DATASET"}]}""", HttpStatusCode.BadRequest, "validationDataset" },
        { """{"trainingDataset":"DATASET","baseModel":"test-bert","validationSets":[{"name":"a","dataset":"DATASET"},{"name":"a","dataset":"DATASET"}]}""", HttpStatusCode.BadRequest, "validationSets[1].name" },
        { """{"trainingDataset":"DATASET","baseModel":"test-bert","validationSets":[{"name":"x/y","dataset":"DATASET"}]}""", HttpStatusCode.BadRequest, "validationSets[0].name" },
        { """{"trainingDataset":"DATASET","baseModel":"test-bert","validationSets":[{"name":"a","dataset":"ds-missing"}]}""", HttpStatusCode.BadRequest, "validationSets[0].dataset" },
        { """{"task":"pretraining","trainingDataset":"DATASET","baseModel":"test-bert","validationSets":[{"name":"a","dataset":"DATASET"}]}""", HttpStatusCode.BadRequest, "validationSets" },
        { $$$"""{"trainingDataset":"DATASET","baseModel":"test-bert","hyperparameters":{"metricForBestModel":"{{{new string('m', 70_000)}}}"}}""", HttpStatusCode.RequestEntityTooLarge, "body" },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public async Task A_bad_job_spec_is_a_problem_naming_the_field(string body, HttpStatusCode status, string field)
    {
        await TestBaseModel.EnsureSeededAsync(platform);
        using var client = platform.Client(PlatformFixture.NewUser());
        var dataset = await PlatformFixture.UploadAsync(client, PlatformFixture.SampleCsv());

        using var response = await client.PostAsync("api/jobs", new StringContent(body.Replace("DATASET", dataset.Id), Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Equal("[]", await client.GetStringAsync("api/jobs"));
    }

    [Fact]
    public async Task Unknown_ids_answer_404_problems()
    {
        using var client = platform.Client(PlatformFixture.NewUser());

        // Ids with characters Table Storage keys cannot hold are unknown too, not server errors.
        foreach (var path in new[] { "api/jobs/job-nope", "api/jobs/job-nope/events", "api/datasets/ds-nope", "api/models/job-nope",
                     "api/models/job-nope/files/config.json", "api/datasets/ds%23x", "api/jobs/job%3Fx", "api/datasets/a%5Cb" })
        {
            using var response = await client.GetAsync(path);
            Assert.True(HttpStatusCode.NotFound == response.StatusCode, path);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_job_naming_a_dataset_id_no_key_can_hold_is_a_problem_naming_the_field()
    {
        using var client = platform.Client(PlatformFixture.NewUser());
        using var response = await client.PostAsJsonAsync("api/jobs", new { trainingDataset = "ds#1?x", baseModel = "tiny" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("trainingDataset", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Cancelling_a_queued_job_cancels_it_at_once_and_a_second_cancel_conflicts()
    {
        await TestBaseModel.EnsureSeededAsync(platform);
        using var client = platform.Client(PlatformFixture.NewUser());
        var dataset = await PlatformFixture.UploadAsync(client, PlatformFixture.SampleCsv());
        var job = await PlatformFixture.SubmitAsync(client, new { trainingDataset = dataset.Id, baseModel = TestBaseModel.Name });

        using var cancel = await client.PostAsync($"api/jobs/{job.Id}/cancel", null);
        using var again = await client.PostAsync($"api/jobs/{job.Id}/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal(JobStatus.Cancelled, (await PlatformFixture.GetJobAsync(client, job.Id)).Status);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }
}
