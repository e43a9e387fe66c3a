using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace BertPlatform.Integration.Tests.Tasks;

/// <summary>
/// The XNLI protocol on a tiny BERT: one training set, named validation sets (each half "en", half "de" by its
/// language field). Every evaluation scores all of them, the checkpoint is chosen on the named one (never the first,
/// so "the first" cannot pass for it), and metrics.json, the events and the model card report each; for text
/// classification, token classification, multiple choice and question answering.
/// </summary>
[Collection("tasks")]
public sealed class ValidationSetsTests(PlatformFixture platform, ITestOutputHelper output)
{
    private readonly TaskJobHarness harness = new(platform, output);

    private static string WithLanguages(string csv) =>
        string.Join('\n', csv.TrimEnd('\n').Split('\n').Select((line, i) => i == 0 ? line + ",language" : line + (i % 2 == 0 ? ",en" : ",de"))) + "\n";

    [Fact]
    public async Task A_job_with_three_validation_sets_reports_each_and_selects_on_the_named_one()
    {
        var client = harness.NewClient();
        var baseModel = await harness.SeedBaseModelAsync(GeneratedData.Vocabulary);
        var training = await TaskJobHarness.UploadAsync(client, GeneratedData.SentimentCsv(150, seed: 1), "csv", "text_classification");
        var sets = new List<object>();
        foreach (var (name, seed) in new[] { ("set-a", 2), ("set-b", 3), ("set-c", 4) })
        {
            var dataset = await TaskJobHarness.UploadAsync(client, WithLanguages(GeneratedData.SentimentCsv(30, seed)), "csv", "text_classification");
            sets.Add(new { name, dataset = dataset.Id });
        }

        var run = await harness.RunAsync(client, new
        {
            trainingDataset = training.Id, baseModel, validationSets = sets, selectOn = "set-b",
            hyperparameters = new { epochs = 3, batchSize = 16, learningRate = 2e-3, maxSequenceLength = 16, seed = 13 },
        }, "text classification, three validation sets", 150);

        var metrics = JsonNode.Parse(await client.GetStringAsync($"api/models/{run.Job.Id}/files/metrics.json"))!;
        var reported = metrics["evaluationSets"]!.AsObject();
        Assert.Equal(["set-a", "set-b", "set-c"], reported.Select(s => s.Key));
        Assert.Equal([false, true, false], reported.Select(s => s.Value!["selectsCheckpoint"]!.GetValue<bool>()));
        foreach (var (_, set) in reported)
        {
            Assert.Equal(30, set!["examples"]!.GetValue<int>());
            Assert.NotNull(set["eval"]!["accuracy"]);
            Assert.NotNull(set["baseline"]!["accuracy"]);
            Assert.Equal(30, set["languages"]!["en"]!["count"]!.GetValue<int>() + set["languages"]!["de"]!["count"]!.GetValue<int>());
        }

        // Every evaluation scored all three; the bare metrics the trainer ranks by are set-b's.
        var history = metrics["history"]!.AsArray().Select(e => (Step: e!["step"]!.GetValue<int>(), Metrics: e["metrics"]!.AsObject())).ToList();
        Assert.Equal(3, history.Count);
        foreach (var (_, m) in history)
        {
            Assert.All(new[] { "set-a", "set-b", "set-c" }, name => Assert.NotNull(m[$"{name}/accuracy"]));
            Assert.Equal(m["set-b/accuracy"]!.GetValue<double>(), m["accuracy"]!.GetValue<double>());
            Assert.Equal(m["set-b/eval_loss"]!.GetValue<double>(), m["eval_loss"]!.GetValue<double>());
        }
        // The published step is set-b's best: highest accuracy, ties to the lower loss, the earlier on a full tie.
        var best = history.Aggregate((a, b) =>
            Value(b, "set-b/accuracy") > Value(a, "set-b/accuracy")
            || (Value(b, "set-b/accuracy") == Value(a, "set-b/accuracy") && Value(b, "set-b/eval_loss") < Value(a, "set-b/eval_loss")) ? b : a);
        Assert.Equal(best.Step, metrics["bestStep"]!.GetValue<int>());
        Assert.Equal(Value(best, "set-b/accuracy"), run.Metric("accuracy"));
        Assert.Equal(Value(best, "set-a/accuracy"), run.Metric("set-a/accuracy"));

        var card = await client.GetStringAsync($"api/models/{run.Job.Id}/files/README.md");
        Assert.Contains("| set-b (selects) | 30 |", card);
        Assert.Contains("### set-c per language", card);
        var events = await PlatformFixture.GetEventsAsync(client, run.Job.Id);
        Assert.Contains(events, e => e.Kind == "eval" && e.Message.Contains("set-a: accuracy") && e.Message.Contains("set-c: accuracy"));
        // The pre-flight report profiled each set, with its leakage from training.
        Assert.Equal(["set-a", "set-b", "set-c"], run.Job.Preflight!.ValidationSets!.Select(s => s.Name));
        Assert.All(run.Job.Preflight.ValidationSets!, s => Assert.Equal(30, s.Profile.Examples));
        Assert.Equal(new Dictionary<string, int> { ["de"] = 15, ["en"] = 15 }, run.Job.Preflight.ValidationSets![0].Profile.Languages);
    }

    private static double Value((int Step, JsonObject Metrics) evaluation, string name) => evaluation.Metrics[name]!.GetValue<double>();

    /// <summary>Each JSONL record with a "language" field: "en" for even lines, "de" for odd ones.</summary>
    private static string WithLanguageField(string jsonl) =>
        string.Concat(jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select((line, i) =>
        {
            var record = JsonNode.Parse(line)!.AsObject();
            record["language"] = i % 2 == 0 ? "en" : "de";
            return record.ToJsonString() + "\n";
        }));

    /// <summary>The evaluation a job's selection rule publishes: the highest <paramref name="metric"/>, ties to the lower loss, then the earlier.</summary>
    private static (int Step, JsonObject Metrics) Best(IEnumerable<(int Step, JsonObject Metrics)> history, string set, string metric) =>
        history.Aggregate((a, b) =>
            Value(b, $"{set}/{metric}") > Value(a, $"{set}/{metric}")
            || (Value(b, $"{set}/{metric}") == Value(a, $"{set}/{metric}") && Value(b, $"{set}/eval_loss") < Value(a, $"{set}/eval_loss")) ? b : a);

    [Fact]
    public async Task A_token_classification_job_with_three_validation_sets_reports_each_and_selects_on_the_named_one()
    {
        var client = harness.NewClient();
        var baseModel = await harness.SeedBaseModelAsync(GeneratedData.Vocabulary);
        var training = await TaskJobHarness.UploadAsync(client, GeneratedData.NerConll(120, seed: 21), "conll", "token_classification");
        var sets = new List<object>();
        foreach (var (name, seed) in new[] { ("wiki-a", 22), ("wiki-b", 23), ("wiki-c", 24) })
        {
            var dataset = await TaskJobHarness.UploadAsync(client, WithLanguageField(GeneratedData.NerJsonl(20, seed)), "jsonl", "token_classification");
            sets.Add(new { name, dataset = dataset.Id });
        }

        var run = await harness.RunAsync(client, new
        {
            task = "token_classification", trainingDataset = training.Id, baseModel, validationSets = sets, selectOn = "wiki-c",
            hyperparameters = new { epochs = 3, batchSize = 16, learningRate = 2e-3, maxSequenceLength = 16, seed = 13 },
        }, "token classification, three validation sets", 120);

        var metrics = JsonNode.Parse(await client.GetStringAsync($"api/models/{run.Job.Id}/files/metrics.json"))!;
        var reported = metrics["evaluationSets"]!.AsObject();
        Assert.Equal(["wiki-a", "wiki-b", "wiki-c"], reported.Select(s => s.Key));
        Assert.Equal([false, false, true], reported.Select(s => s.Value!["selectsCheckpoint"]!.GetValue<bool>()));
        foreach (var (_, set) in reported)
        {
            Assert.Equal(20, set!["examples"]!.GetValue<int>());
            Assert.NotNull(set["eval"]!["f1"]);
            Assert.NotNull(set["baseline"]!["f1"]);
            Assert.Equal([10, 10], new[] { "de", "en" }.Select(l => set["languages"]![l]!["count"]!.GetValue<int>()));
            Assert.NotNull(set["languages"]!["de"]!["f1"]);
        }
        // The training set, all of it, trains: no hold-out is split off beside named sets.
        Assert.Equal(120, metrics["trainExamples"]!.GetValue<int>());

        var history = metrics["history"]!.AsArray().Select(e => (Step: e!["step"]!.GetValue<int>(), Metrics: e["metrics"]!.AsObject())).ToList();
        Assert.Equal(3, history.Count);
        foreach (var (_, m) in history)
        {
            Assert.All(new[] { "wiki-a", "wiki-b", "wiki-c" }, name => Assert.NotNull(m[$"{name}/f1"]));
            Assert.Equal(m["wiki-c/f1"]!.GetValue<double>(), m["f1"]!.GetValue<double>());
            Assert.Equal(m["wiki-c/eval_loss"]!.GetValue<double>(), m["eval_loss"]!.GetValue<double>());
        }
        var best = Best(history, "wiki-c", "f1");
        Assert.Equal(best.Step, metrics["bestStep"]!.GetValue<int>());
        Assert.Equal(Value(best, "wiki-c/f1"), run.Metric("f1"));
        Assert.Equal(Value(best, "wiki-a/f1"), run.Metric("wiki-a/f1"));
        Assert.Equal(Value(best, "wiki-b/lang/de/f1"), run.Metric("wiki-b/lang/de/f1"));

        var card = await client.GetStringAsync($"api/models/{run.Job.Id}/files/README.md");
        Assert.Contains("| wiki-c (selects) | 20 |", card);
        Assert.Contains("### wiki-a per language", card);
        var events = await PlatformFixture.GetEventsAsync(client, run.Job.Id);
        Assert.Contains(events, e => e.Kind == "eval" && e.Message.Contains("wiki-a: precision") && e.Message.Contains("wiki-b: precision"));
    }

    [Fact]
    public async Task A_multiple_choice_job_with_two_validation_sets_selects_on_the_named_one()
    {
        var client = harness.NewClient();
        var baseModel = await harness.SeedBaseModelAsync(GeneratedData.Vocabulary);
        var training = await TaskJobHarness.UploadAsync(client, GeneratedData.AnimalChoicesJsonl(64, seed: 31), "jsonl", "multiple_choice");
        // "tagged" says each item's language; "detected" has no language field, so each item's is detected.
        var tagged = await TaskJobHarness.UploadAsync(client, WithLanguageField(GeneratedData.AnimalChoicesJsonl(16, seed: 32)), "jsonl", "multiple_choice");
        var detected = await TaskJobHarness.UploadAsync(client, GeneratedData.AnimalChoicesJsonl(12, seed: 33), "jsonl", "multiple_choice");

        var run = await harness.RunAsync(client, new
        {
            task = "multiple_choice", trainingDataset = training.Id, baseModel, selectOn = "tagged",
            validationSets = new object[] { new { name = "detected", dataset = detected.Id }, new { name = "tagged", dataset = tagged.Id } },
            hyperparameters = new { epochs = 2, batchSize = 16, learningRate = 2e-3, maxSequenceLength = 16, seed = 13 },
        }, "multiple choice, two validation sets", 64);

        var metrics = JsonNode.Parse(await client.GetStringAsync($"api/models/{run.Job.Id}/files/metrics.json"))!;
        var reported = metrics["evaluationSets"]!.AsObject();
        Assert.Equal([("detected", 12, false), ("tagged", 16, true)],
            reported.Select(s => (s.Key, s.Value!["examples"]!.GetValue<int>(), s.Value["selectsCheckpoint"]!.GetValue<bool>())));
        Assert.Equal([8, 8], new[] { "de", "en" }.Select(l => reported["tagged"]!["languages"]![l]!["count"]!.GetValue<int>()));
        Assert.Equal(12, reported["detected"]!["languages"]!.AsObject().Sum(l => l.Value!["count"]!.GetValue<int>()));

        var history = metrics["history"]!.AsArray().Select(e => (Step: e!["step"]!.GetValue<int>(), Metrics: e["metrics"]!.AsObject())).ToList();
        Assert.All(history, e => Assert.Equal(Value(e, "tagged/accuracy"), Value(e, "accuracy")));
        var best = Best(history, "tagged", "accuracy");
        Assert.Equal(best.Step, metrics["bestStep"]!.GetValue<int>());
        Assert.Equal(Value(best, "detected/accuracy"), run.Metric("detected/accuracy"));
    }

    /// <summary>SQuAD JSON whose paragraphs alternate "language": "en" / "de" (each question takes its paragraph's).</summary>
    private static string WithParagraphLanguages(string squad)
    {
        var document = JsonNode.Parse(squad)!;
        var paragraphs = document["data"]!.AsArray().SelectMany(article => article!["paragraphs"]!.AsArray()).ToList();
        for (var i = 0; i < paragraphs.Count; i++) paragraphs[i]!["language"] = i % 2 == 0 ? "en" : "de";
        return document.ToJsonString();
    }

    [Fact]
    public async Task A_question_answering_job_scores_each_sets_questions_apart()
    {
        var client = harness.NewClient();
        var baseModel = await harness.SeedBaseModelAsync(GeneratedData.Vocabulary);
        var training = await TaskJobHarness.UploadAsync(client, GeneratedData.FactsSquad(40, seed: 41), "squad", "question_answering");
        // Different sizes, so a set scored with another's questions would show in its count.
        var small = await TaskJobHarness.UploadAsync(client, WithParagraphLanguages(GeneratedData.FactsSquad(4, seed: 42)), "squad", "question_answering");
        var large = await TaskJobHarness.UploadAsync(client, WithParagraphLanguages(GeneratedData.FactsSquad(10, seed: 43)), "squad", "question_answering");

        var run = await harness.RunAsync(client, new
        {
            task = "question_answering", trainingDataset = training.Id, baseModel, selectOn = "large",
            validationSets = new object[] { new { name = "small", dataset = small.Id }, new { name = "large", dataset = large.Id } },
            hyperparameters = new { epochs = 2, batchSize = 16, learningRate = 1e-3, maxSequenceLength = 32, seed = 13 },
            questionAnswering = new { docStride = 8, maxQuestionLength = 8, maxAnswerLength = 4 },
        }, "question answering, two validation sets", 80);

        var metrics = JsonNode.Parse(await client.GetStringAsync($"api/models/{run.Job.Id}/files/metrics.json"))!;
        var reported = metrics["evaluationSets"]!.AsObject();
        Assert.Equal([false, true], reported.Select(s => s.Value!["selectsCheckpoint"]!.GetValue<bool>()));
        // Two questions per paragraph: every question is scored once (its windows decoded together), in its paragraph's language.
        Assert.Equal([(8.0, 4, 4), (20.0, 10, 10)], reported.Select(s => (
            s.Value!["eval"]!["total"]!.GetValue<double>(),
            s.Value["languages"]!["en"]!["count"]!.GetValue<int>(), s.Value["languages"]!["de"]!["count"]!.GetValue<int>())));
        Assert.Equal(run.Metric("large/f1"), run.Metric("f1"));
        Assert.NotEqual(run.Metric("large/total"), run.Metric("small/total"));
    }
}
