using BertPlatform.Shared.Contracts;
using Xunit.Abstractions;

namespace BertPlatform.Integration.Tests.Tasks;

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
        object[] inputs = [new { text = "the food was superb" }, new { text = "this hotel was dreadful" }];
        var predictions = TaskJobHarness.Predict(model, inputs);
        Assert.Equal(["positive", "negative"], predictions.Select(p => p["label"]!.GetValue<string>()));

        // The endpoint (model.onnx on ONNX Runtime) agrees with the runner, with probabilities over every label.
        var served = await PredictEndpoint.PredictAsync(client, run.Job.Id, inputs);
        Assert.Equal(["positive", "negative"], served.Select(p => p["label"]!.GetValue<string>()));
        foreach (var p in served)
        {
            var scores = p["scores"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<double>());
            Assert.Equal(3, scores.Count);
            Assert.Equal(1.0, scores.Values.Sum(), 6);
            Assert.Equal(scores.Values.Max(), p["score"]!.GetValue<double>());
        }
        // Limits and owner isolation.
        var tooMany = await PredictEndpoint.PostAsync(client, run.Job.Id, Enumerable.Repeat((object)new { text = "great" }, 33));
        Assert.Equal("inputs", await PredictEndpoint.ProblemFieldAsync(tooMany, System.Net.HttpStatusCode.BadRequest));
        var tooLong = await PredictEndpoint.PostAsync(client, run.Job.Id, [new { text = "ok" }, new { text = new string('a', 20_001) }]);
        Assert.Equal("inputs[1].text", await PredictEndpoint.ProblemFieldAsync(tooLong, System.Net.HttpStatusCode.BadRequest));
        var wrongShape = await PredictEndpoint.PostAsync(client, run.Job.Id, [new { sentence = "ok" }]);
        Assert.Equal("inputs[0].text", await PredictEndpoint.ProblemFieldAsync(wrongShape, System.Net.HttpStatusCode.BadRequest));
        var stranger = await PredictEndpoint.PostAsync(harness.NewClient(), run.Job.Id, inputs);
        await PredictEndpoint.ProblemFieldAsync(stranger, System.Net.HttpStatusCode.NotFound);
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
        object[] pairs = [new { text = "the dog runs", text_pair = "a dog sleeps" }, new { text = "the cat runs", text_pair = "a horse sleeps" }];
        var predictions = TaskJobHarness.Predict(model, pairs);
        Assert.Contains(predictions[0]["label"]!.GetValue<string>(), new[] { "same", "different" });
        var served = await PredictEndpoint.PredictAsync(client, run.Job.Id, pairs);
        Assert.Equal(predictions.Select(p => p["label"]!.GetValue<string>()), served.Select(p => p["label"]!.GetValue<string>()));
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

        // Measured -0.11 -> 0.97 alone (98% of the gap closed), and 0.53 -> 0.93 (86%) once in the whole suite, where
        // another test's draws changed the untrained head.
        run.AssertClosesGapToPerfect("pearson", 0.6);
        var model = await TaskJobHarness.DownloadModelAsync(client, run.Job.Id);
        object[] inputs = [new { text = "the food was great and superb and lovely" }, new { text = "the food was served" }];
        var scores = TaskJobHarness.Predict(model, inputs).Select(p => p["score"]!.GetValue<double>()).ToList();
        Assert.True(scores[0] > scores[1], $"three positive words scored {scores[0]}, none {scores[1]}");
        var served = (await PredictEndpoint.PredictAsync(client, run.Job.Id, inputs)).Select(p => p["value"]!.GetValue<double>()).ToList();
        for (var i = 0; i < scores.Count; i++) Assert.Equal(scores[i], served[i], 4);
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

        // The endpoint tags the same words and groups them into entities with character spans, from words or from text.
        var text = string.Join(" ", tokens);
        var served = await PredictEndpoint.PredictAsync(client, run.Job.Id, [new { tokens }, new { text }]);
        Assert.Equal(tags, PredictEndpoint.Strings(served[0]["tags"]));
        foreach (var prediction in served)
        {
            var entities = prediction["entities"]!.AsArray().Select(e => (
                Group: e!["entity_group"]!.GetValue<string>(), Word: e["word"]!.GetValue<string>(), Start: e["start"]!.GetValue<int>(), End: e["end"]!.GetValue<int>()));
            Assert.Equal([("PER", "alice smith", 0, 11), ("LOC", "rome", 20, 24), ("PER", "bob", 30, 33)], entities);
        }
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
        var served = (await PredictEndpoint.PredictAsync(client, run.Job.Id,
            [new { question = "where carol lives ?", context = "bob likes soup . carol lives in tokyo ." }])).Single();
        Assert.Equal(answer["answer"]!.GetValue<string>(), served["answer"]!.GetValue<string>());
        Assert.Equal(answer["start"]?.GetValue<int>(), served["start"]?.GetValue<int>());
    }

    [Fact]
    public async Task Multiple_choice_from_jsonl_picks_the_ending_that_fits()
    {
        var client = harness.NewClient();
        var baseModel = await harness.SeedBaseModelAsync(GeneratedData.Vocabulary);
        var dataset = await TaskJobHarness.UploadAsync(client, GeneratedData.AnimalChoicesJsonl(300, seed: 6), "jsonl", "multiple_choice");

        var run = await harness.RunAsync(client, new
        {
            // At learning rate 2e-3 some dropout draws stall this task: over seeds 1-16 the smallest gains were 0.23 and
            // 0.27 with the runner's masks and 0.37 with torch's, so one seed's verdict hung on its draws. At 1e-3 every
            // one of the 16 seeds gained 0.53 or more (0.73-1.0 after 16 epochs).
            task = "multiple_choice", trainingDataset = dataset.Id, baseModel, hyperparameters = Hyperparameters(16, 16, learningRate: 1e-3),
        }, "multiple choice, 4 endings (jsonl)", 300);

        run.AssertGainOverBaseline("accuracy", 0.3); // measured 0.30 -> 1.0
        // Which ending one example gets is not asserted: the test runs beside other training tests in this process,
        // whose draws from torch's global generator change the dropout masks, and at 0.8-0.9 accuracy one example can
        // go either way. Learning is the gain above; here the runner and the endpoint must agree on the same model.
        var endings = new[] { "the cat runs", "the dog sits", "the bird sleeps", "the horse jumps" };
        var model = await TaskJobHarness.DownloadModelAsync(client, run.Job.Id);
        var result = TaskJobHarness.Predict(model, [new { context = "the bird eats and it", question = "then", endings }]).Single();
        Assert.Equal(4, result["logits"]!.AsArray().Count);
        var served = (await PredictEndpoint.PredictAsync(client, run.Job.Id, [new { context = "the bird eats and it", question = "then", endings }])).Single();
        var choice = served["choice"]!.GetValue<int>();
        Assert.Equal(result["choice"]!.GetValue<int>(), choice);
        Assert.Equal(endings[choice], served["ending"]!.GetValue<string>());
    }
}
