using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace BertPlatform.Integration.Tests.Tasks;

/// <summary>
/// The XNLI protocol on a tiny BERT: one training set, three named validation sets (each half "en", half "de" by
/// its language column). Every evaluation scores all three, the checkpoint is chosen on the named one (the second,
/// so "the first" cannot pass for it), and metrics.json, the events and the model card report each.
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
}
