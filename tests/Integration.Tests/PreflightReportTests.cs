using System.Net;
using System.Text;
using System.Text.Json;
using BertPlatform.Functions.Tests.OpenApi;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Storage;
using BertPlatform.TestSupport;

namespace BertPlatform.Integration.Tests;

/// <summary>
/// The pre-flight report over HTTP: on demand for a dataset, and at submission, stored with the job. The base model
/// is the tiny BERT fixture's vocabulary, in which "the", "world" and "hello" are one piece each.
/// </summary>
[Collection("platform")]
public sealed class PreflightReportTests(PlatformFixture platform)
{
    internal const string BaseModel = "tiny-vocab";
    private static readonly OpenApiContract contract = OpenApiContract.Load();

    // Rows 3 and 4 have 12 tokens with [CLS] and [SEP]: truncated by 4 at maxSequenceLength 8. Row 2 repeats row 1.
    private const string Training = "text,label,language\nthe world,pos,en\nthe world,pos,en\nthe is of and in to hello world play the,neg,en\n" +
                                    "the the the the the the the the the the,pos,en\nhello world,neg,en\n";
    private const string Validation = "text,label,language\nThe world!,pos,de\nhello the,neg,de\n";

    [Fact]
    public async Task A_dataset_report_and_a_submitted_job_carry_the_same_figures()
    {
        await SeedTinyVocabularyAsync(platform);
        using var client = platform.Client(PlatformFixture.NewUser());
        var training = await PlatformFixture.UploadAsync(client, Training, "train");
        var validation = await PlatformFixture.UploadAsync(client, Validation, "validation");

        using var response = await client.GetAsync($"api/datasets/{training.Id}/report?baseModel={BaseModel}&maxSequenceLength=8&batchSize=2&epochs=1&validationDataset={validation.Id}");
        await contract.AssertMatchesAsync(response, "GET", "/datasets/{id}/report");
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, report.GetProperty("training").GetProperty("truncated").GetInt32());
        Assert.Equal(8, report.GetProperty("training").GetProperty("tokensLost").GetInt64());
        Assert.Equal(1, report.GetProperty("duplicates").GetProperty("exact").GetInt32());
        Assert.Equal(1, report.GetProperty("leakage").GetProperty("near").GetInt32());
        Assert.Equal(0, report.GetProperty("leakage").GetProperty("exact").GetInt32());
        Assert.Equal(3, report.GetProperty("estimate").GetProperty("steps").GetInt32());
        Assert.Equal(2, report.GetProperty("validation").GetProperty("languages").GetProperty("de").GetInt32());
        Assert.Contains(report.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("40% of training examples (2 of 5) are truncated at 8 tokens"));

        var job = await PlatformFixture.SubmitAsync(client, new
        {
            baseModel = BaseModel, trainingDataset = training.Id, validationDataset = validation.Id,
            hyperparameters = new { maxSequenceLength = 8, batchSize = 2, epochs = 1 },
        });
        Assert.NotNull(job.Preflight);
        Assert.Equal(2, job.Preflight.Training.Truncated);
        using var stored = await client.GetAsync($"api/jobs/{job.Id}");
        await contract.AssertMatchesAsync(stored, "GET", "/jobs/{id}");
        var storedJob = JsonSerializer.Deserialize<JobRecord>(await stored.Content.ReadAsStringAsync(), PlatformJson.Options)!;
        Assert.Equal(JsonSerializer.Serialize(job.Preflight, PlatformJson.Options), JsonSerializer.Serialize(storedJob.Preflight, PlatformJson.Options));
        Assert.Equal(JsonSerializer.Serialize(job.Preflight, PlatformJson.Options), JsonSerializer.Serialize(JsonSerializer.Deserialize<Shared.Insight.PreflightReport>(report, PlatformJson.Options), PlatformJson.Options));
    }

    [Theory]
    [InlineData("baseModel=no-such-model", "baseModel")]
    [InlineData("maxSequenceLength=4", "maxSequenceLength")]
    [InlineData("validationDataset=ds-missing", "validationDataset")]
    public async Task A_bad_report_request_names_its_field(string query, string field)
    {
        await SeedTinyVocabularyAsync(platform);
        using var client = platform.Client(PlatformFixture.NewUser());
        var training = await PlatformFixture.UploadAsync(client, Training, "train");

        using var response = await client.GetAsync($"api/datasets/{training.Id}/report?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await contract.AssertMatchesAsync(response, "GET", "/datasets/{id}/report");
        Assert.Equal(field, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
    }

    internal static async Task SeedTinyVocabularyAsync(PlatformFixture platform)
    {
        var container = platform.Storage.Container(StorageNames.ModelsContainer);
        await new StorageInitializer(platform.Storage).EnsureCreatedAsync(CancellationToken.None);
        foreach (var file in new[] { "config.json", "vocab.txt", "tokenizer_config.json" })
        {
            await using var content = File.OpenRead(Path.Combine(TestAssets.TinyBert, file));
            await container.GetBlobClient(StorageNames.BaseModelPrefix(BaseModel) + file).UploadAsync(content, overwrite: true);
        }
    }
}
