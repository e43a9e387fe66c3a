using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace BertPlatform.Integration.Tests.Tasks;

/// <summary>
/// The API takes every task with each format it can read, checks the task option records with RFC 7807 field
/// errors, and lets from-scratch pre-training run without any base model.
/// </summary>
[Collection("tasks")]
public sealed class JobSpecOptionTests(PlatformFixture platform, ITestOutputHelper output)
{
    private readonly TaskJobHarness harness = new(platform, output);

    public static TheoryData<string, string, string> FormatsOfEveryTask => new()
    {
        { "text_classification", "csv", "text,label\ngood,positive\nbad,negative\n" },
        { "text_classification", "tsv", "text\tlabel\ngood\tpositive\nbad\tnegative\n" },
        { "text_classification", "jsonl", "{\"text\":\"good\",\"text_pair\":\"fine\",\"label\":\"yes\"}\n{\"text\":\"bad\",\"text_pair\":\"fine\",\"label\":\"no\"}\n" },
        { "token_classification", "conll", "alice B-PER\nsleeps O\n\nbob B-PER\n" },
        { "token_classification", "jsonl", "{\"tokens\":[\"alice\",\"sleeps\"],\"tags\":[\"B-PER\",\"O\"]}\n" },
        { "question_answering", "squad", GeneratedData.FactsSquad(2, seed: 1) },
        { "question_answering", "jsonl", "{\"question\":\"who ?\",\"context\":\"alice sleeps\",\"answers\":{\"text\":[\"alice\"],\"answer_start\":[0]}}\n" },
        { "multiple_choice", "jsonl", "{\"context\":\"the cat\",\"endings\":[\"sleeps\",\"flies\"],\"label\":0}\n" },
        { "pretraining", "text", "alice sleeps .\nbob runs .\n\ncarol eats .\n" },
        { "pretraining", "jsonl", "{\"text\":\"alice sleeps . bob runs .\"}\n" },
    };

    [Theory]
    [MemberData(nameof(FormatsOfEveryTask))]
    public async Task Every_task_accepts_each_of_its_formats_and_a_job_on_it(string task, string format, string body)
    {
        var client = harness.NewClient();
        await TestBaseModel.EnsureSeededAsync(platform);
        var dataset = await TaskJobHarness.UploadAsync(client, body, format, task);

        var response = await TaskJobHarness.PostJobAsync(client, new { task, trainingDataset = dataset.Id, baseModel = TestBaseModel.Name });

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{task}/{format}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        // Nothing runs these jobs: cancel them so no later runner in the collection picks them up.
        (await client.PostAsync($"api/jobs/{JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()}/cancel", null)).Dispose();
    }

    public static TheoryData<string, object> OutOfRangeOptions => new()
    {
        { "questionAnswering.docStride", new { docStride = 0 } },
        // At the default 128-token sequences a 64-token question leaves 61 context tokens: a 100-token stride never advances.
        { "questionAnswering.docStride", new { docStride = 100 } },
        { "questionAnswering.maxQuestionLength", new { maxQuestionLength = 600 } },
        { "questionAnswering.nBestSize", new { nBestSize = 0 } },
        { "questionAnswering.maxAnswerLength", new { maxAnswerLength = -1 } },
    };

    [Theory]
    [MemberData(nameof(OutOfRangeOptions))]
    public async Task Out_of_range_question_answering_options_are_field_errors(string field, object options)
    {
        var problem = await RejectedAsync(new { task = "question_answering", trainingDataset = "ds-x", baseModel = "m", questionAnswering = options });
        Assert.Contains(field, problem);
    }

    public static TheoryData<string, object> OutOfRangePretraining => new()
    {
        { "pretraining.modelSize", new { fromScratch = true, modelSize = "huge" } },
        { "pretraining.vocabularySize", new { fromScratch = true, vocabularySize = 10 } },
        { "pretraining.heldOutDocuments", new { heldOutDocuments = 0.0 } },
        { "pretraining.heldOutMaskedPredictions", new { heldOutMaskedPredictions = 0 } },
        { "pretraining.heldOutNextSentencePairs", new { heldOutNextSentencePairs = 200_000 } },
        { "pretraining.dupeFactor", new { dupeFactor = 0 } },
        { "pretraining.maskedLmProbability", new { maskedLmProbability = 0.9 } },
        { "pretraining.maxPredictionsPerSequence", new { maxPredictionsPerSequence = 0 } },
        { "pretraining.shortSequenceProbability", new { shortSequenceProbability = 1.5 } },
    };

    [Theory]
    [MemberData(nameof(OutOfRangePretraining))]
    public async Task Out_of_range_pretraining_options_are_field_errors(string field, object options)
    {
        var problem = await RejectedAsync(new { task = "pretraining", trainingDataset = "ds-x", baseModel = "m", pretraining = options });
        Assert.Contains(field, problem);
    }

    [Fact]
    public async Task A_question_that_would_fill_the_whole_sequence_is_a_field_error()
    {
        var problem = await RejectedAsync(new
        {
            task = "question_answering", trainingDataset = "ds-x", baseModel = "m",
            hyperparameters = new { maxSequenceLength = 32 }, questionAnswering = new { maxQuestionLength = 64 },
        });
        Assert.Contains("questionAnswering.maxQuestionLength", problem);
    }

    [Fact]
    public async Task From_scratch_pretraining_needs_no_base_model_but_continued_pretraining_does()
    {
        var client = harness.NewClient();
        var corpus = await TaskJobHarness.UploadAsync(client, "alice sleeps .\nbob runs .\n\ncarol eats .\n", "text", "pretraining");

        var scratch = await TaskJobHarness.PostJobAsync(client, new { task = "pretraining", trainingDataset = corpus.Id, baseModel = "no-such-model", pretraining = new { fromScratch = true } });
        var continued = await TaskJobHarness.PostJobAsync(client, new { task = "pretraining", trainingDataset = corpus.Id, baseModel = "no-such-model" });

        Assert.Equal(HttpStatusCode.Accepted, scratch.StatusCode);
        var id = JsonDocument.Parse(await scratch.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        (await client.PostAsync($"api/jobs/{id}/cancel", null)).Dispose();
        Assert.Equal(HttpStatusCode.BadRequest, continued.StatusCode);
        Assert.Contains("no-such-model", await continued.Content.ReadAsStringAsync());
    }

    /// <summary>Posts the spec, requires a 400 problem document, and returns its body.</summary>
    private async Task<string> RejectedAsync(object spec)
    {
        var response = await TaskJobHarness.PostJobAsync(harness.NewClient(), spec);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return body;
    }
}
