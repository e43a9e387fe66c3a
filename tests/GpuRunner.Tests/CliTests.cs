using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Cli;
using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tests;

/// <summary>The predict and tokenize verbs, run in-process on the tiny-bert heads with the fixture's vocabulary.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string temporary = Path.Combine(Path.GetTempPath(), "gpurunner-cli-" + Guid.NewGuid().ToString("N"));

    public CliTests() => Directory.CreateDirectory(temporary);

    public void Dispose() => Directory.Delete(temporary, recursive: true);

    [Fact]
    public void TokenizeWritesIdsAndOriginalTextSpans()
    {
        var lines = Run("tokenize", TinyBert.Root, """{"text": "Hello  wunderbar world", "text_pair": "café"}""", """{"tokens": ["über", "Paris"]}""");
        var first = lines[0];
        Assert.Equal(["[CLS]", "Hello", "wunder", "##bar", "world", "[SEP]", "café", "[SEP]"], first["tokens"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal([0, 0, 0, 0, 0, 0, 1, 1], first["token_type_ids"]!.AsArray().Select(t => t!.GetValue<int>()));
        Assert.Null(first["offsets"]![0]);
        Assert.Equal([7, 13], first["offsets"]![2]!.AsArray().Select(t => t!.GetValue<int>())); // "wunder" in the original text
        Assert.Equal([0, 4], first["offsets"]![6]!.AsArray().Select(t => t!.GetValue<int>()));  // "café" in text_pair
        Assert.Equal(["[CLS]", "über", "Paris", "[SEP]"], lines[1]["tokens"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public void PreflightPrintsTheReportOfLocalFiles()
    {
        var train = Path.Combine(temporary, "train.csv");
        var validation = Path.Combine(temporary, "validation.csv");
        File.WriteAllText(train, "text,label\nthe world,a\nthe world,a\nthe is of and in to hello world play the,b\n");
        File.WriteAllText(validation, "text,label\nThe world!,a\n");
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        try
        {
            Assert.Equal(0, CommandLine.Run(["preflight", "--model", TinyBert.Root, "--train", train, "--validation", validation, "--max-length", "8"]));
        }
        finally
        {
            Console.SetOut(console);
        }
        var report = JsonNode.Parse(output.ToString())!;
        Assert.Equal(1, report["training"]!["truncated"]!.GetValue<int>());
        Assert.Equal(4, report["training"]!["tokensLost"]!.GetValue<int>());
        Assert.Equal(1, report["duplicates"]!["exact"]!.GetValue<int>());
        Assert.Equal(1, report["leakage"]!["near"]!.GetValue<int>());
    }

    [Fact]
    public void PreflightReadsTheFilesOfAnyTask()
    {
        // A 12-piece context at --max-length 16, --doc-stride 2: two windows (tokens 0–10 and 9–11); q1's answer
        // (tokens 8–11) lies in neither whole.
        var train = Path.Combine(temporary, "squad-train.jsonl");
        const string context = "hello world the is of and in to play the world hello";
        File.WriteAllText(train,
            "{\"id\":\"q1\",\"question\":\"the world\",\"context\":\"" + context + "\",\"answers\":{\"text\":[\"play the world hello\"],\"answer_start\":[32]}}\n" +
            "{\"id\":\"q2\",\"question\":\"is the\",\"context\":\"the world\",\"answers\":{\"text\":[],\"answer_start\":[]}}\n");
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        try
        {
            Assert.Equal(0, CommandLine.Run(["preflight", "--model", TinyBert.Root, "--train", train, "--task", "question_answering",
                "--max-length", "16", "--doc-stride", "2", "--max-question-length", "4"]));
        }
        finally
        {
            Console.SetOut(console);
        }
        var report = JsonNode.Parse(output.ToString())!;
        Assert.Equal("question_answering", report["task"]!.GetValue<string>());
        Assert.Equal(3, report["training"]!["windows"]!["windows"]!.GetValue<int>());
        Assert.Equal(1, report["training"]!["windows"]!["answersOutsideWindows"]!.GetValue<int>());
    }

    [Fact]
    public void PredictSequenceClassificationMatchesTheModelsForward()
    {
        var model = ModelDirectory("seqcls");
        var lines = Run("predict", model, """{"text": "Hello world"}""", """{"text": "the café is in Paris", "text_pair": "naïve"}""", """{"text": "ü"}""");
        Assert.Equal(3, lines.Count);

        using var scope = NewDisposeScope();
        var tokenizer = BertTextTokenizer.Load(model);
        using var reference = TinyBert.LoadEval(model);
        using var noGrad = no_grad();
        var encoding = tokenizer.Encode("the café is in Paris", "naïve");
        var logits = reference.forward(new BertBatch
        {
            InputIds = tensor(encoding.InputIds.Select(i => (long)i).ToArray(), [1, encoding.Length]),
            TokenTypeIds = tensor(encoding.TokenTypeIds.Select(i => (long)i).ToArray(), [1, encoding.Length]),
        }).Logits!;
        var written = lines[1]["logits"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        TinyBert.AssertClose(logits[0], tensor(written), 1e-5, "predict logits of a padded batch row");
        var best = Array.IndexOf(written, written.Max());
        Assert.Equal($"LABEL_{best}", lines[1]["label"]!.GetValue<string>());
    }

    [Fact]
    public void PredictTokenClassificationTagsEveryWord()
    {
        var lines = Run("predict", ModelDirectory("tokcls"), """{"tokens": ["Hello", "wunderbar", "Berlin"]}""");
        var tags = lines[0]["tags"]!.AsArray();
        Assert.Equal(3, tags.Count);
        Assert.All(tags, t => Assert.Matches("^LABEL_[0-4]$", t!.GetValue<string>()));
        Assert.Equal(6, lines[0]["logits"]!.AsArray().Count); // [CLS] Hello wunder ##bar Berlin [SEP]
    }

    [Fact]
    public void PredictQuestionAnsweringReturnsASpanOfTheContext()
    {
        const string context = "Hello world, the café is in Paris and Berlin.";
        var lines = Run("predict", ModelDirectory("qa"), $$"""{"question": "where is the café", "context": "{{context}}"}""");
        var result = lines[0];
        var (start, end) = (result["start"]!.GetValue<int>(), result["end"]!.GetValue<int>());
        Assert.InRange(start, 0, end);
        Assert.Equal(context[start..end], result["answer"]!.GetValue<string>());
        Assert.Single(result["start_logits"]!.AsArray()); // one window
    }

    [Fact]
    public void PredictMultipleChoicePicksTheBestScoredEnding()
    {
        var lines = Run("predict", ModelDirectory("mc"), """{"context": "Hello world", "endings": ["the café", "Paris is", "und Berlin"]}""");
        var logits = lines[0]["logits"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        Assert.Equal(3, logits.Length);
        Assert.Equal(Array.IndexOf(logits, logits.Max()), lines[0]["choice"]!.GetValue<int>());
    }

    [Fact]
    public void PredictNamesTheLineAndTheExpectedShapeOnBadInput()
    {
        var error = Assert.Throws<InvalidDataException>(() => Run("predict", ModelDirectory("seqcls"), """{"question": "q"}"""));
        Assert.Contains("line 1:", error.Message);
        Assert.Contains("'text'", error.Message);
    }

    [Theory]
    [InlineData("qa")]
    [InlineData("mc")]
    public void PredictBatchesQuestionsAndChoicesAndKeepsTheInputOrder(string head)
    {
        const string longContext = "Hello world, the café is in Paris and Berlin. The world is big; Paris is in France and Berlin is " +
            "in Germany, the café is naïve and the world says hello to Paris, Berlin and the café again and again.";
        string[] inputs = head == "qa"
            ? [$$"""{"question": "where is the café", "context": "{{longContext}}"}""", """{"question": "hello", "context": "Hello world"}""",
               """{"question": "where is Berlin", "context": "the café is in Paris and Berlin."}"""]
            : ["""{"context": "Hello world", "endings": ["the café", "Paris is", "und Berlin"]}""", """{"context": "café", "endings": ["Paris", "Berlin"]}""",
               """{"context": "the world is in Paris", "question": "where", "endings": ["Berlin is big", "Paris", "the café is naïve and big"]}"""];
        var model = ModelDirectory(head);
        var batched = Run("predict", model, inputs);
        Assert.Equal(inputs.Length, batched.Count);
        if (head == "qa") Assert.True(batched[0]["start_logits"]!.AsArray().Count > 1, "the long context should need several windows");
        for (var i = 0; i < inputs.Length; i++)
        {
            var alone = Run("predict", model, inputs[i])[0];
            foreach (var field in head == "qa" ? new[] { "start_logits", "end_logits" } : ["logits"])
            {
                var (expected, actual) = (Floats(alone[field]!), Floats(batched[i][field]!));
                Assert.Equal(expected.Length, actual.Length);
                Assert.True(expected.Zip(actual).All(p => Math.Abs(p.First - p.Second) <= 1e-5), $"line {i + 1} {field} differs in a batch");
            }
            foreach (var field in head == "qa" ? new[] { "answer", "start", "end" } : ["choice"])
                Assert.Equal(alone[field]?.ToJsonString(), batched[i][field]?.ToJsonString());
        }
    }

    [Fact]
    public void PredictNamesTheFaultyLineOfABatch()
    {
        var error = Assert.Throws<InvalidDataException>(() => Run("predict", ModelDirectory("seqcls"),
            """{"text": "Hello world"}""", """{"text": "the café"}""", """{"question": "q"}""", """{"text": "Paris"}"""));
        Assert.Contains("line 3:", error.Message);
    }

    private static float[] Floats(JsonNode node) => node is JsonArray array
        ? array.SelectMany(n => Floats(n!)).ToArray()
        : [node.GetValue<float>()];

    private string ModelDirectory(string head)
    {
        var directory = Path.Combine(temporary, head);
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(TinyBert.Head(head))) File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        foreach (var file in new[] { "vocab.txt", "tokenizer_config.json" })
            File.Copy(Path.Combine(TinyBert.Root, file), Path.Combine(directory, file));
        return directory;
    }

    private List<JsonObject> Run(string verb, string model, params string[] inputLines)
    {
        var input = Path.Combine(temporary, "in.jsonl");
        var output = Path.Combine(temporary, "out.jsonl");
        File.WriteAllLines(input, inputLines);
        Assert.Equal(0, CommandLine.Run([verb, "--model", model, "--input", input, "--output", output]));
        return File.ReadAllLines(output).Select(l => (JsonObject)JsonNode.Parse(l)!).ToList();
    }
}
