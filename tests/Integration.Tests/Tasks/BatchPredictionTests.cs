using System.Net;
using System.Net.Http.Json;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Metrics;
using BertPlatform.Shared.Storage;
using Xunit.Abstractions;

namespace BertPlatform.Integration.Tests.Tasks;

/// <summary>
/// Batch prediction jobs end to end on Azurite: a model fine-tuned for real on a tiny BERT runs over an uploaded
/// dataset on a CPU runner; its JSON Lines come back in the dataset's order, each the predict endpoint's answer for
/// that record, and the labels are scored exactly as the fine-tuning job scored the same dataset.
/// </summary>
[Collection("tasks")]
public sealed class BatchPredictionTests(PlatformFixture platform, ITestOutputHelper output)
{
    private readonly TaskJobHarness harness = new(platform, output);

    private static object Hyperparameters(int epochs) => new { epochs, batchSize = 16, learningRate = 2e-3, maxSequenceLength = 16, warmupRatio = 0.1, seed = 13 };

    [Fact]
    public async Task Sentiment_predictions_come_back_in_order_as_the_endpoint_answers_with_the_jobs_metrics()
    {
        var client = harness.NewClient();
        var baseModel = await harness.SeedBaseModelAsync(GeneratedData.Vocabulary);
        var training = await TaskJobHarness.UploadAsync(client, GeneratedData.SentimentCsv(150, seed: 1), "csv", "text_classification");
        var validationCsv = GeneratedData.SentimentCsv(45, seed: 31);
        var validation = await TaskJobHarness.UploadAsync(client, validationCsv, "csv", "text_classification");
        var run = await harness.RunAsync(client, new { trainingDataset = training.Id, validationDataset = validation.Id, baseModel, hyperparameters = Hyperparameters(2) },
            "text classification for batch predictions", 150);

        // Batches of 4 over 45 rows: sorted by length inside the window, so input order must be restored.
        var job = await BatchPredictions.SubmitAsync(client, new { model = run.Job.Id, dataset = validation.Id, batchSize = 4 });
        Assert.Equal(JobKind.BatchPrediction, job.Kind);
        var done = await harness.RunToTheEndAsync(client, job.Id);
        Assert.True(done.Status == JobStatus.Succeeded, $"batch prediction ended {done.Status}: {done.Error}");
        Assert.Null(done.ModelId);
        Assert.Equal(45, done.Output!.Predictions);

        var lines = await BatchPredictions.DownloadAsync(client, job.Id);
        var texts = validationCsv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l[..l.LastIndexOf(',')]).ToList();
        Assert.Equal(texts.Count, lines.Count);
        // Every line is the endpoint's answer for that record (the endpoint takes 32 inputs a request).
        for (var first = 0; first < texts.Count; first += 32)
        {
            var chunk = texts.Skip(first).Take(32).ToList();
            var served = await PredictEndpoint.PredictAsync(client, run.Job.Id, chunk.Select(t => (object)new { text = t }));
            for (var i = 0; i < chunk.Count; i++) BatchPredictions.AssertSameAnswer(served[i], lines[first + i], $"line {first + i + 1}");
        }
        // Scored as the fine-tuning job scored the same dataset with the published checkpoint.
        foreach (var metric in new[] { MetricNames.Accuracy, MetricNames.F1Macro, MetricNames.F1Micro, MetricNames.MatthewsCorrelation })
            Assert.Equal(run.Metric(metric), done.Metrics![metric], 9);
        Assert.Equal(45, done.Metrics!["predictions"]);

        var events = await PlatformFixture.GetEventsAsync(client, job.Id);
        Assert.Equal(["queued", "started"], events.Take(2).Select(e => e.Kind));
        var progress = events.First(e => e.Kind == "progress");
        Assert.True(progress.Metrics!["inputs"] == 45 && progress.Metrics.ContainsKey("eta_seconds") && progress.Fraction > 0, progress.Message);
        Assert.Equal("succeeded", events[^1].Kind);

        // The same texts uploaded without labels: the same lines, and nothing to score.
        var unlabeled = await TaskJobHarness.UploadAsync(client, "text\n" + string.Join("\n", texts) + "\n", "csv", "text_classification", "unlabeled=true");
        Assert.True(unlabeled.Unlabeled);
        var unlabeledJob = await BatchPredictions.SubmitAsync(client, new { model = run.Job.Id, dataset = unlabeled.Id, batchSize = 4 });
        var unlabeledDone = await harness.RunToTheEndAsync(client, unlabeledJob.Id);
        Assert.True(unlabeledDone.Status == JobStatus.Succeeded, $"unlabeled batch prediction ended {unlabeledDone.Status}: {unlabeledDone.Error}");
        var unlabeledLines = await BatchPredictions.DownloadAsync(client, unlabeledJob.Id);
        Assert.Equal(lines.Select(l => l.ToJsonString()), unlabeledLines.Select(l => l.ToJsonString()));
        Assert.False(unlabeledDone.Metrics!.ContainsKey(MetricNames.Accuracy));
        Assert.Equal(45, unlabeledDone.Metrics["predictions"]);

        // Owner isolation: another caller sees neither the job nor its predictions, nor can it run the model.
        var stranger = harness.NewClient();
        Assert.Equal(HttpStatusCode.NotFound, (await BatchPredictions.GetPredictionsAsync(stranger, job.Id)).StatusCode);
        var strangerDataset = await TaskJobHarness.UploadAsync(stranger, validationCsv, "csv", "text_classification");
        Assert.Equal("model", await PredictEndpoint.ProblemFieldAsync(
            await BatchPredictions.PostAsync(stranger, new { model = run.Job.Id, dataset = strangerDataset.Id }), HttpStatusCode.BadRequest));

        // Deleting the job deletes its predictions file.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"api/jobs/{job.Id}")).StatusCode);
        var blob = platform.Storage.Container(StorageNames.PredictionsContainer).GetBlobClient(done.Output.BlobName);
        Assert.False((await blob.ExistsAsync()).Value);
    }

    [Fact]
    public async Task Requests_that_cannot_run_are_refused_naming_the_field_and_queue_nothing()
    {
        var client = harness.NewClient();
        var baseModel = await harness.SeedBaseModelAsync(GeneratedData.Vocabulary);
        var training = await TaskJobHarness.UploadAsync(client, GeneratedData.SentimentCsv(48, seed: 2), "csv", "text_classification");
        var run = await harness.RunAsync(client, new { trainingDataset = training.Id, baseModel, hyperparameters = Hyperparameters(1) },
            "text classification, one epoch", 48);
        var entities = await TaskJobHarness.UploadAsync(client, GeneratedData.NerConll(10, seed: 3), "conll", "token_classification");
        var scores = await TaskJobHarness.UploadAsync(client, GeneratedData.PositivityScoresCsv(10, seed: 3), "csv", "text_classification", "problemType=regression");

        async Task<string> Refused(object request, HttpStatusCode status = HttpStatusCode.BadRequest) =>
            await PredictEndpoint.ProblemFieldAsync(await BatchPredictions.PostAsync(client, request), status);

        Assert.Equal("model", await Refused(new { model = "job-nosuchmodel", dataset = training.Id }));
        Assert.Equal("dataset", await Refused(new { model = run.Job.Id, dataset = "ds-nosuchdataset" }));
        Assert.Equal("dataset", await Refused(new { model = run.Job.Id, dataset = entities.Id }));   // task mismatch
        Assert.Equal("dataset", await Refused(new { model = run.Job.Id, dataset = scores.Id }));     // problem type mismatch
        Assert.Equal("batchSize", await Refused(new { model = run.Job.Id, dataset = training.Id, batchSize = 0 }));
        Assert.Equal("model", await Refused(new { dataset = training.Id }));
        var jobs = await client.GetFromJsonAsync<List<JobRecord>>("api/jobs", PlatformJson.Options);
        Assert.Equal([run.Job.Id], jobs!.Select(j => j.Id));

        // Unlabeled data is for predictions only: a job cannot train on it, and only text classification may come unlabeled.
        var texts = await TaskJobHarness.UploadAsync(client, "text\nthe food was superb\nthe hotel was awful\n", "csv", "text_classification", "unlabeled=true");
        Assert.Equal("trainingDataset", await PredictEndpoint.ProblemFieldAsync(
            await TaskJobHarness.PostJobAsync(client, new { trainingDataset = texts.Id, baseModel }), HttpStatusCode.BadRequest));
        using var tags = new StringContent("alice\nvisited\nrome\n");
        Assert.Equal("unlabeled", await PredictEndpoint.ProblemFieldAsync(
            await client.PostAsync("api/datasets?name=words&format=conll&task=token_classification&unlabeled=true", tags), HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Entity_predictions_match_the_endpoint_and_a_running_batch_is_cancelled_without_output()
    {
        var client = harness.NewClient();
        var baseModel = await harness.SeedBaseModelAsync(GeneratedData.Vocabulary);
        var training = await TaskJobHarness.UploadAsync(client, GeneratedData.NerConll(150, seed: 4), "conll", "token_classification");
        var validationConll = GeneratedData.NerConll(20, seed: 44);
        var validation = await TaskJobHarness.UploadAsync(client, validationConll, "conll", "token_classification");
        var run = await harness.RunAsync(client, new
        {
            task = "token_classification", trainingDataset = training.Id, validationDataset = validation.Id, baseModel, hyperparameters = Hyperparameters(3),
        }, "token classification for batch predictions", 150);

        var job = await BatchPredictions.SubmitAsync(client, new { model = run.Job.Id, dataset = validation.Id, batchSize = 8 });
        var done = await harness.RunToTheEndAsync(client, job.Id);
        Assert.True(done.Status == JobStatus.Succeeded, $"batch prediction ended {done.Status}: {done.Error}");
        var lines = await BatchPredictions.DownloadAsync(client, job.Id);
        var sentences = validationConll.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).ToArray()).ToList();
        Assert.Equal(sentences.Count, lines.Count);
        var served = await PredictEndpoint.PredictAsync(client, run.Job.Id, sentences.Select(tokens => (object)new { tokens }));
        for (var i = 0; i < sentences.Count; i++) BatchPredictions.AssertSameAnswer(served[i], lines[i], $"sentence {i + 1}");
        Assert.Equal(run.Metric(MetricNames.F1), done.Metrics![MetricNames.F1], 9);

        // A long batch (one input per forward pass) is cancelled while it runs: it ends cancelled, with no predictions.
        var big = await TaskJobHarness.UploadAsync(client, GeneratedData.NerConll(20_000, seed: 5), "conll", "token_classification");
        var slow = await BatchPredictions.SubmitAsync(client, new { model = run.Job.Id, dataset = big.Id, batchSize = 1 });
        var cancelled = await harness.RunToTheEndAsync(client, slow.Id, async () =>
        {
            await PlatformFixture.WaitForJobAsync(client, slow.Id, j => j.Progress > 0, TimeSpan.FromMinutes(2));
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"api/jobs/{slow.Id}/cancel", null)).StatusCode);
        });
        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        Assert.Null(cancelled.Output);
        Assert.Equal(HttpStatusCode.Conflict, (await BatchPredictions.GetPredictionsAsync(client, slow.Id)).StatusCode);
        var blob = platform.Storage.Container(StorageNames.PredictionsContainer).GetBlobClient(StorageNames.PredictionsBlobName(cancelled.Owner, slow.Id));
        Assert.False((await blob.ExistsAsync()).Value);
    }
}
