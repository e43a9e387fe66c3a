using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.BatchPrediction;
using BertPlatform.GpuRunner.Cli;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Metrics;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tests;

/// <summary>
/// Batch predictions on the tiny-bert heads: records sorted by length into padded batches come back in the dataset's
/// order with the answers each gets in a batch of its own, and the metrics score exactly the lines written.
/// </summary>
public sealed class BatchPredictionRunTests : IDisposable
{
    private static readonly string[] Words = ["Hello", "world", "the", "café", "is", "in", "Paris", "and", "Berlin", "naïve", "über", "wunderbar", "play", "été"];
    private readonly string temporary = Directory.CreateTempSubdirectory("batch-prediction-run-").FullName;

    public void Dispose() => Directory.Delete(temporary, recursive: true);

    [Fact]
    public async Task Text_classification_lines_keep_the_dataset_order_and_match_unbatched_answers()
    {
        var random = new Random(3);
        var csv = new StringBuilder("text,label\n");
        var gold = new List<string>();
        for (var i = 0; i < 37; i++)
        {
            gold.Add($"LABEL_{random.Next(3)}");
            csv.Append(Sentence(random, 1 + random.Next(12))).Append(',').Append(gold[^1]).Append('\n');
        }
        var (batched, unbatched, outcome) = await RunTwiceAsync("seqcls", "data.csv", csv.ToString(), DatasetFormat.Csv, TaskType.TextClassification);

        AssertSameLines(unbatched, batched);
        var accuracy = batched.Zip(gold).Count(p => p.First["label"]!.GetValue<string>() == p.Second) / 37.0;
        Assert.Equal(accuracy, outcome.Metrics[MetricNames.Accuracy], 12);
        Assert.Equal(37, outcome.Metrics["predictions"]);
    }

    [Fact]
    public async Task Token_classification_and_question_answering_lines_match_unbatched_answers()
    {
        var random = new Random(4);
        var conll = new StringBuilder();
        for (var s = 0; s < 23; s++)
        {
            foreach (var word in Sentence(random, 1 + random.Next(9)).Split(' ')) conll.Append(word).Append(' ').Append(random.Next(4) == 0 ? "B-X" : "O").Append('\n');
            conll.Append('\n');
        }
        var (tagged, taggedAlone, tagging) = await RunTwiceAsync("tokcls", "data.conll", conll.ToString(), DatasetFormat.Conll, TaskType.TokenClassification);
        AssertSameLines(taggedAlone, tagged);
        // The fixture's head names its classes LABEL_0..4, not IOB2 tags: entities are undefined, token accuracy is not.
        var sentences = conll.ToString().Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(s => s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[1]).ToList()).ToList();
        var correct = sentences.Zip(tagged).Sum(p => p.First.Zip(p.Second["tags"]!.AsArray()).Count(t => t.First == t.Second!.GetValue<string>()));
        Assert.Equal((double)correct / sentences.Sum(s => s.Count), tagging.Metrics[MetricNames.Accuracy], 12);
        Assert.False(tagging.Metrics.ContainsKey(MetricNames.F1));

        var jsonl = new StringBuilder();
        for (var q = 0; q < 19; q++)
        {
            // Contexts from a few words to several windows of the tiny model's length.
            var context = Sentence(random, 3 + random.Next(q % 4 == 0 ? 90 : 12));
            var answer = context.Split(' ')[random.Next(3)];
            jsonl.Append(JsonSerializer.Serialize(new { id = $"q{q}", question = Sentence(random, 3), context, answers = new { text = new[] { answer }, answer_start = new[] { context.IndexOf(answer, StringComparison.Ordinal) } } })).Append('\n');
        }
        var (answers, answersAlone, outcome) = await RunTwiceAsync("qa", "data.jsonl", jsonl.ToString(), DatasetFormat.Jsonl, TaskType.QuestionAnswering);
        AssertSameLines(answersAlone, answers);
        Assert.Contains(answers, a => a["windows"]!.GetValue<int>() > 1);
        Assert.True(outcome.Metrics.ContainsKey(MetricNames.F1) && outcome.Metrics.ContainsKey(MetricNames.Exact));
    }

    private async Task<(List<JsonObject> Batched, List<JsonObject> Alone, Worker.JobOutcome Outcome)> RunTwiceAsync(
        string head, string dataName, string data, DatasetFormat format, TaskType task)
    {
        var spec = new JobSpec { Task = task };
        var batchedFiles = Files(head, dataName, data, format, "batched.jsonl");
        var outcome = await BatchPredictionRun.RunAsync(batchedFiles, spec, new BatchPredictionSpec { BatchSize = 4 }, new ConsoleJobProgress(), CPU, CancellationToken.None);
        var aloneFiles = batchedFiles with { OutputPath = Path.Combine(temporary, "alone.jsonl") };
        await BatchPredictionRun.RunAsync(aloneFiles, spec, new BatchPredictionSpec { BatchSize = 1 }, new ConsoleJobProgress(), CPU, CancellationToken.None);
        return (Read(batchedFiles.OutputPath), Read(aloneFiles.OutputPath), outcome);
    }

    private BatchPredictionFiles Files(string head, string dataName, string data, DatasetFormat format, string output)
    {
        var model = Path.Combine(temporary, head);
        if (!Directory.Exists(model))
        {
            Directory.CreateDirectory(model);
            foreach (var file in Directory.GetFiles(TinyBert.Head(head))) File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
            foreach (var file in new[] { "vocab.txt", "tokenizer_config.json" }) File.Copy(Path.Combine(TinyBert.Root, file), Path.Combine(model, file));
        }
        var dataPath = Path.Combine(temporary, dataName);
        File.WriteAllText(dataPath, data);
        return new BatchPredictionFiles(model, dataPath, format, Path.Combine(temporary, output));
    }

    private static string Sentence(Random random, int words) => string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[random.Next(Words.Length)]));

    private static List<JsonObject> Read(string path) => File.ReadAllLines(path).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    /// <summary>Padding changes float32 sums in their last bits only: labels, spans and tags agree, scores within 1e-5.</summary>
    private static void AssertSameLines(List<JsonObject> expected, List<JsonObject> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++) AssertSame(expected[i], actual[i], $"line {i + 1}");
    }

    private static void AssertSame(JsonNode? expected, JsonNode? actual, string where)
    {
        switch (expected)
        {
            case JsonObject o:
                Assert.Equal(o.Select(p => p.Key).Order(), actual!.AsObject().Select(p => p.Key).Order());
                foreach (var (key, value) in o) AssertSame(value, actual[key], $"{where}.{key}");
                break;
            case JsonArray a:
                Assert.Equal(a.Count, actual!.AsArray().Count);
                for (var i = 0; i < a.Count; i++) AssertSame(a[i], actual[i], $"{where}[{i}]");
                break;
            case null:
                Assert.Null(actual);
                break;
            default:
                if (expected.GetValueKind() == JsonValueKind.Number && expected.ToJsonString().Contains('.'))
                    Assert.True(Math.Abs(expected.GetValue<double>() - actual!.GetValue<double>()) <= 1e-5, $"{where}: {expected} vs {actual}");
                else
                    Assert.True(JsonNode.DeepEquals(expected, actual), $"{where}: {expected.ToJsonString()} vs {actual?.ToJsonString()}");
                break;
        }
    }
}
