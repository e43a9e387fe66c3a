using BertPlatform.Shared.Contracts;
using Xunit.Abstractions;

namespace BertPlatform.Functions.Tests.Tasks;

/// <summary>
/// Every fine-tuning task end to end through the HTTP API on Azurite, trained for real on a tiny BERT with a
/// generated dataset it can learn: the job succeeds, its primary metric beats the same model before training (the job's
/// <c>baseline_</c> metrics, scored on the same validation set) by a wide margin, and the published model answers the
/// <c>predict</c> verb in its task's shape. Each margin is about half of the gain measured here, so that the rounding
/// of another CPU's math library, which changes the path training takes, cannot decide the verdict.
/// </summary>
[Collection("tasks")]
public sealed class FineTuningTaskTests(PlatformFixture platform, ITestOutputHelper output)
{
    private readonly TaskJobHarness harness = new(platform, output);

    private static object Hyperparameters(int epochs, int maxSequenceLength, double learningRate = 2e-3) => new
    {
        epochs, batchSize = 16, learningRate, maxSequenceLength, warmupRatio = 0.1, seed = 13,
    };

    [Fact]
    public async Task Three_class_sentiment_from_csv_is_learned_and_predicted()
    {
        var client = harness.NewClient();
        var baseModel = await harness.SeedBaseModelAsync(GeneratedData.Vocabulary);
        var dataset = await TaskJobHarness.UploadAsync(client, GeneratedData.SentimentCsv(300, seed: 1), "csv", "text_classification");

        var run = await harness.RunAsync(client, new { trainingDataset = dataset.Id, baseModel, hyperparameters = Hyperparameters(4, 16) },
            "text classification, 3 classes (csv)", 300);

        run.AssertGainOverBaseline("accuracy", 0.3); // measured 0.47 -> 1.00
        var model = await TaskJobHarness.DownloadModelAsync(client, run.Job.Id);
        var predictions = TaskJobHarness.Predict(model, [new { text = "the food was superb" }, new { text = "this hotel was dreadful" }]);
        Assert.Equal(["positive", "negative"], predictions.Select(p => p["label"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Sentence_pairs_from_jsonl_learn_whether_both_name_the_same_animal()
    {
        var client = harness.NewClient();
        var baseModel = await harness.SeedBaseModelAsync(GeneratedData.Vocabulary);
        var dataset = await TaskJobHarness.UploadAsync(client, GeneratedData.AnimalPairsJsonl(600, seed: 2), "jsonl", "text_classification");
        var validation = await TaskJobHarness.UploadAsync(client, GeneratedData.AnimalPairsJsonl(100, seed: 12), "jsonl", "text_classification");

        var run = await harness.RunAsync(client, new
        {
            trainingDataset = dataset.Id, validationDataset = validation.Id, baseModel, hyperparameters = Hyperparameters(20, 16, learningRate: 1e-3),
        }, "text classification, sentence pairs (jsonl)", 600);

        // Comparing the two segments is the hardest thing these tests ask of a 2-layer model: at 8 epochs of 360 rows
        // it stopped half-way (0.67-0.78 depending on the CPU); at 20 epochs of 600 rows it reaches 1.00 (eval loss
        // 0.013). The balanced 100-row validation set keeps the untrained model at 0.5.
        run.AssertGainOverBaseline("accuracy", 0.2);
        var model = await TaskJobHarness.DownloadModelAsync(client, run.Job.Id);
        var predictions = TaskJobHarness.Predict(model, [new { text = "the dog runs", text_pair = "a dog sleeps" }]);
        Assert.Contains(predictions.Single()["label"]!.GetValue<string>(), new[] { "same", "different" });
    }

    [Fact]
    public async Task Regression_scores_from_csv_correlate_with_the_truth()
    {
        var client = harness.NewClient();
        var baseModel = await harness.SeedBaseModelAsync(GeneratedData.Vocabulary);
        var dataset = await TaskJobHarness.UploadAsync(client, GeneratedData.PositivityScoresCsv(300, seed: 3), "csv", "text_classification",
            "problemType=regression");

        var run = await harness.RunAsync(client, new { trainingDataset = dataset.Id, baseModel, hyperparameters = Hyperparameters(10, 16, learningRate: 5e-4) },
            "text regression (csv)", 300);

        run.AssertGainOverBaseline("pearson", 0.5); // measured -0.11 -> 0.97
        var model = await TaskJobHarness.DownloadModelAsync(client, run.Job.Id);
        var scores = TaskJobHarness.Predict(model, [new { text = "the food was great and superb and lovely" }, new { text = "the food was served" }])
            .Select(p => p["score"]!.GetValue<double>()).ToList();
        Assert.True(scores[0] > scores[1], $"three positive words scored {scores[0]}, none {scores[1]}");
    }

    [Fact]
    public async Task Named_entities_from_conll_are_tagged()
    {
        var client = harness.NewClient();
        var baseModel = await harness.SeedBaseModelAsync(GeneratedData.Vocabulary);
        var dataset = await TaskJobHarness.UploadAsync(client, GeneratedData.NerConll(300, seed: 4), "conll", "token_classification");

        var run = await harness.RunAsync(client, new
        {
            task = "token_classification", trainingDataset = dataset.Id, baseModel, hyperparameters = Hyperparameters(4, 16),
        }, "token classification (conll)", 300);

        run.AssertGainOverBaseline("f1", 0.5); // measured 0.05 -> 1.00
        var model = await TaskJobHarness.DownloadModelAsync(client, run.Job.Id);
        var tokens = new[] { "alice", "smith", "visited", "rome", "with", "bob", "." };
        var tags = TaskJobHarness.Predict(model, [new { tokens }]).Single()["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        Assert.Equal(["B-PER", "I-PER", "O", "B-LOC", "O", "B-PER", "O"], tags);
    }

    [Fact]
    public async Task Squad_v2_questions_with_unanswerable_ones_are_answered()
    {
        var client = harness.NewClient();
        var baseModel = await harness.SeedBaseModelAsync(GeneratedData.Vocabulary);
        var dataset = await TaskJobHarness.UploadAsync(client, GeneratedData.FactsSquad(300, seed: 5), "squad", "question_answering");

        var run = await harness.RunAsync(client, new
        {
            task = "question_answering", trainingDataset = dataset.Id, baseModel, hyperparameters = Hyperparameters(12, 32, learningRate: 1e-3),
            questionAnswering = new { docStride = 8, maxQuestionLength = 8, maxAnswerLength = 4 },
        }, "question answering, SQuAD v2.0 (squad json)", 600);

        // SQuAD scores are percentages, as the official script reports them. Never answering scores about 37 here
        // and the untrained model about 20; this tiny model learns the answerable questions first (see the report).
        run.AssertGainOverBaseline("f1", 15); // measured 20.3 -> 51.7
        run.AssertGainOverBaseline("HasAns_f1", 25);
        var model = await TaskJobHarness.DownloadModelAsync(client, run.Job.Id);
        var answer = TaskJobHarness.Predict(model, [new { question = "where carol lives ?", context = "bob likes soup . carol lives in tokyo ." }])
            .Single();
        Assert.Contains(answer["answer"]!.GetValue<string>(), "bob likes soup . carol lives in tokyo .");
        Assert.Equal(answer["start_logits"]!.AsArray().Count, answer["end_logits"]!.AsArray().Count);
    }

    [Fact]
    public async Task Multiple_choice_from_jsonl_picks_the_ending_that_fits()
    {
        var client = harness.NewClient();
        var baseModel = await harness.SeedBaseModelAsync(GeneratedData.Vocabulary);
        var dataset = await TaskJobHarness.UploadAsync(client, GeneratedData.AnimalChoicesJsonl(300, seed: 6), "jsonl", "multiple_choice");

        var run = await harness.RunAsync(client, new
        {
            task = "multiple_choice", trainingDataset = dataset.Id, baseModel, hyperparameters = Hyperparameters(8, 16),
        }, "multiple choice, 4 endings (jsonl)", 300);

        run.AssertGainOverBaseline("accuracy", 0.3); // measured 0.30 -> 0.90
        var model = await TaskJobHarness.DownloadModelAsync(client, run.Job.Id);
        var result = TaskJobHarness.Predict(model,
            [new { context = "the bird eats and it", question = "then", endings = new[] { "the cat runs", "the dog sits", "the bird sleeps", "the horse jumps" } }])
            .Single();
        Assert.Equal(4, result["logits"]!.AsArray().Count);
        Assert.Equal(2, result["choice"]!.GetValue<int>());
    }
}
