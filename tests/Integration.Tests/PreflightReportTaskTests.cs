using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BertPlatform.Functions.Tests.OpenApi;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Integration.Tests;

/// <summary>
/// The pre-flight report of the tasks beyond text classification, over HTTP: on demand for an uploaded dataset and
/// stored with a submitted job, with the same figures (tiny BERT vocabulary: "the", "world", "hello" … one piece each).
/// </summary>
[Collection("platform")]
public sealed class PreflightReportTaskTests(PlatformFixture platform)
{
    private static readonly OpenApiContract contract = OpenApiContract.Load();

    // Sentence 3 has 7 words: 9 tokens, 1 over maxSequenceLength 8. Sentence 2 repeats sentence 1.
    private const string TokenTraining = "the O\nworld O\n\nthe O\nworld O\n\nhello B-PER\nworld I-PER\nthe O\nis O\nof O\nand B-LOC\nin O\n";
    private const string TokenValidation = "the O\nworld O\n";

    // At maxSequenceLength 16, docStride 2, maxQuestionLength 4 the 12-piece context takes 2 windows (tokens 0–10, 9–11):
    // q1's answer (tokens 8–11) lies in neither whole, q2's in the first; q3 has no answer and a short context.
    private const string Context = "hello world the is of and in to play the world hello";
    private const string QaTraining =
        "{\"id\":\"q1\",\"question\":\"the world\",\"context\":\"" + Context + "\",\"answers\":{\"text\":[\"play the world hello\"],\"answer_start\":[32]}}\n" +
        "{\"id\":\"q2\",\"question\":\"hello world\",\"context\":\"" + Context + "\",\"answers\":{\"text\":[\"hello\"],\"answer_start\":[0]}}\n" +
        "{\"id\":\"q3\",\"question\":\"is the\",\"context\":\"the world\",\"answers\":{\"text\":[],\"answer_start\":[]}}\n";
    private const string QaValidation = "{\"id\":\"v1\",\"question\":\"is the\",\"context\":\"the world\",\"answers\":{\"text\":[],\"answer_start\":[]}}\n";

    [Fact]
    public async Task Token_classification_datasets_and_jobs_carry_the_report()
    {
        await PreflightReportTests.SeedTinyVocabularyAsync(platform);
        using var client = platform.Client(PlatformFixture.NewUser());
        var training = await UploadAsync(client, TokenTraining, "conll", "token_classification");
        var validation = await UploadAsync(client, TokenValidation, "conll", "token_classification");

        var report = await ReportAsync(client, $"api/datasets/{training}/report?baseModel={PreflightReportTests.BaseModel}&maxSequenceLength=8&batchSize=2&epochs=1&validationDataset={validation}");
        Assert.Equal("token_classification", report.GetProperty("task").GetString());
        var profile = report.GetProperty("training");
        Assert.Equal((1, 1L), (profile.GetProperty("truncated").GetInt32(), profile.GetProperty("tokensLost").GetInt64()));
        Assert.Equal(9, profile.GetProperty("tokensPerExample").GetProperty("max").GetInt32());
        Assert.Equal(1, profile.GetProperty("entities").GetProperty("PER").GetInt32());
        Assert.Equal(8, profile.GetProperty("labels").GetProperty("O").GetInt32());
        Assert.Equal(1, report.GetProperty("duplicates").GetProperty("exact").GetInt32());
        Assert.Equal(1, report.GetProperty("leakage").GetProperty("exact").GetInt32());
        Assert.Equal(2, report.GetProperty("estimate").GetProperty("steps").GetInt32());

        await AssertJobCarriesAsync(client, report, new
        {
            task = "token_classification", baseModel = PreflightReportTests.BaseModel, trainingDataset = training, validationDataset = validation,
            hyperparameters = new { maxSequenceLength = 8, batchSize = 2, epochs = 1 },
        });
    }

    [Fact]
    public async Task Question_answering_datasets_and_jobs_carry_windows_and_answers_outside_them()
    {
        await PreflightReportTests.SeedTinyVocabularyAsync(platform);
        using var client = platform.Client(PlatformFixture.NewUser());
        var training = await UploadAsync(client, QaTraining, "jsonl", "question_answering");
        var validation = await UploadAsync(client, QaValidation, "jsonl", "question_answering");

        var report = await ReportAsync(client,
            $"api/datasets/{training}/report?baseModel={PreflightReportTests.BaseModel}&maxSequenceLength=16&docStride=2&maxQuestionLength=4&batchSize=2&epochs=1&validationDataset={validation}");
        var windows = report.GetProperty("training").GetProperty("windows");
        Assert.Equal((5, 2, 1, 2), (windows.GetProperty("windows").GetInt32(), windows.GetProperty("multiWindow").GetInt32(),
            windows.GetProperty("answersOutsideWindows").GetInt32(), windows.GetProperty("answerable").GetInt32()));
        Assert.Equal(2, report.GetProperty("training").GetProperty("labels").GetProperty("has_answer").GetInt32());
        Assert.Equal(1, report.GetProperty("leakage").GetProperty("exact").GetInt32());
        // 5 windows in batches of 2.
        Assert.Equal(3, report.GetProperty("estimate").GetProperty("steps").GetInt32());
        Assert.Contains(report.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("50% of training answers (1 of 2) lie in no window whole", StringComparison.Ordinal));

        await AssertJobCarriesAsync(client, report, new
        {
            task = "question_answering", baseModel = PreflightReportTests.BaseModel, trainingDataset = training, validationDataset = validation,
            hyperparameters = new { maxSequenceLength = 16, batchSize = 2, epochs = 1 },
            questionAnswering = new { docStride = 2, maxQuestionLength = 4 },
        });
    }

    [Fact]
    public async Task Multiple_choice_and_pretraining_datasets_get_their_report()
    {
        await PreflightReportTests.SeedTinyVocabularyAsync(platform);
        using var client = platform.Client(PlatformFixture.NewUser());
        // Pairs (context, ending): 6 and 12 tokens, the second 4 over 8; the right ending is always the first.
        var choices = await UploadAsync(client,
            "{\"context\":\"the world\",\"endings\":[\"hello\",\"hello world the is of and in\"],\"label\":0}\n" +
            "{\"context\":\"the world\",\"endings\":[\"play\",\"in\"],\"label\":0}\n", "jsonl", "multiple_choice");
        var report = await ReportAsync(client, $"api/datasets/{choices}/report?baseModel={PreflightReportTests.BaseModel}&maxSequenceLength=8");
        Assert.Equal((12, 1, 4L), (report.GetProperty("training").GetProperty("tokensPerExample").GetProperty("max").GetInt32(),
            report.GetProperty("training").GetProperty("truncated").GetInt32(), report.GetProperty("training").GetProperty("tokensLost").GetInt64()));
        Assert.Equal(2, report.GetProperty("training").GetProperty("labels").GetProperty("0").GetInt32());

        // Two documents, three sentences; "hello world the is of and in" cannot fit a pair of 8 tokens (10 with its 3 specials).
        var corpus = await UploadAsync(client, "the world\nhello world the is of and in\n\nplay the world\n", "text", "pretraining");
        report = await ReportAsync(client, $"api/datasets/{corpus}/report?baseModel={PreflightReportTests.BaseModel}&maxSequenceLength=8");
        var profile = report.GetProperty("training");
        Assert.Equal((2, 3, 1, 2L), (profile.GetProperty("documents").GetInt32(), profile.GetProperty("examples").GetInt32(),
            profile.GetProperty("truncated").GetInt32(), profile.GetProperty("tokensLost").GetInt64()));
        Assert.Equal("pretraining", report.GetProperty("task").GetString());
    }

    private static async Task<JsonElement> ReportAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        await contract.AssertMatchesAsync(response, "GET", "/datasets/{id}/report");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>The submitted job's report, as answered and as stored, is the dataset report's.</summary>
    private async Task AssertJobCarriesAsync(HttpClient client, JsonElement report, object spec)
    {
        var job = await PlatformFixture.SubmitAsync(client, spec);
        Assert.NotNull(job.Preflight);
        using var stored = await client.GetAsync($"api/jobs/{job.Id}");
        await contract.AssertMatchesAsync(stored, "GET", "/jobs/{id}");
        var storedJob = JsonSerializer.Deserialize<JobRecord>(await stored.Content.ReadAsStringAsync(), PlatformJson.Options)!;
        var expected = JsonSerializer.Serialize(JsonSerializer.Deserialize<Shared.Insight.PreflightReport>(report, PlatformJson.Options), PlatformJson.Options);
        Assert.Equal(expected, JsonSerializer.Serialize(job.Preflight, PlatformJson.Options));
        Assert.Equal(expected, JsonSerializer.Serialize(storedJob.Preflight, PlatformJson.Options));
    }

    private static async Task<string> UploadAsync(HttpClient client, string body, string format, string task)
    {
        using var content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("text/plain"));
        using var response = await client.PostAsync($"api/datasets?name={task}&format={format}&task={task}", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"upload answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("dataset").GetProperty("id").GetString()!;
    }
}
