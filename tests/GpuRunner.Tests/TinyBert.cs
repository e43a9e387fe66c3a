using System.Text.Json;
using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.TestSupport;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tests;

/// <summary>The tiny-bert golden fixtures: inputs.json batches and the expected tensors transformers produced.</summary>
public static class TinyBert
{
    public static readonly string[] BatchNames = ["b0_single", "b1_pairs", "b2_full_length", "b3_random_padded"];

    private static readonly Lazy<JsonDocument> inputs = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestAssets.TinyBert, "inputs.json"))));

    // Detached from whatever dispose scope the first test that touches them has open: they live for the whole run.
    private static readonly Lazy<Dictionary<string, Tensor>> expected = new(() =>
        SafetensorsFile.Read(Path.Combine(TestAssets.TinyBert, "expected.safetensors"))
            .ToDictionary(kv => kv.Key, kv => kv.Value.DetachFromDisposeScope()));

    public static string Root => TestAssets.TinyBert;

    public static string Head(string name) => Path.Combine(TestAssets.TinyBert, "heads", name);

    public static JsonElement Inputs => inputs.Value.RootElement;

    public static Tensor Expected(string name) =>
        expected.Value.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"expected.safetensors has no '{name}'.");

    public static IReadOnlyDictionary<string, Tensor> ReadFixture(string fileName) =>
        SafetensorsFile.Read(Path.Combine(TestAssets.TinyBert, fileName));

    public static JsonElement BatchJson(string name) =>
        Inputs.GetProperty("batches").EnumerateArray().Single(b => b.GetProperty("name").GetString() == name);

    /// <summary>The batch with the labels that <paramref name="head"/> trains on (pretrain, seqcls, tokcls, qa).</summary>
    public static BertBatch Batch(string name, string head)
    {
        var json = BatchJson(name);
        Tensor Field(string field) => LongTensor(json.GetProperty(field));
        return new BertBatch
        {
            InputIds = Field("input_ids"),
            TokenTypeIds = Field("token_type_ids"),
            AttentionMask = Field("attention_mask"),
            Labels = head switch
            {
                "pretrain" => Field("mlm_labels"),
                "seqcls" => Field("seqcls_labels"),
                "tokcls" => Field("tokcls_labels"),
                _ => null,
            },
            NextSentenceLabels = head == "pretrain" ? Field("next_sentence_label") : null,
            StartPositions = head == "qa" ? Field("qa_start_positions") : null,
            EndPositions = head == "qa" ? Field("qa_end_positions") : null,
        };
    }

    public static BertBatch MultipleChoiceBatch()
    {
        var json = Inputs.GetProperty("multiple_choice");
        return new BertBatch
        {
            InputIds = LongTensor(json.GetProperty("input_ids")),
            TokenTypeIds = LongTensor(json.GetProperty("token_type_ids")),
            AttentionMask = LongTensor(json.GetProperty("attention_mask")),
            Labels = LongTensor(json.GetProperty("labels")),
        };
    }

    /// <summary>A nested JSON integer array as an int64 tensor of the same shape.</summary>
    public static Tensor LongTensor(JsonElement array)
    {
        var shape = new List<long>();
        for (var e = array; e.ValueKind == JsonValueKind.Array; e = e[0]) shape.Add(e.GetArrayLength());
        var values = new List<long>();
        void Flatten(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Array) foreach (var child in e.EnumerateArray()) Flatten(child);
            else values.Add(e.GetInt64());
        }
        Flatten(array);
        return tensor(values.ToArray(), shape.ToArray());
    }

    /// <summary>Loads a fixture model in eval mode (no dropout), as the expected outputs were produced.</summary>
    public static BertTaskModel LoadEval(string directory)
    {
        var (model, _) = HuggingFaceCheckpoint.FromPretrained(directory);
        model.eval();
        return model;
    }

    /// <summary>Asserts same shape and max |actual - expected| ≤ tolerance, naming the tensor and the worst error.</summary>
    public static void AssertClose(Tensor expectedTensor, Tensor actual, double tolerance, string what)
    {
        Assert.True(expectedTensor.shape.SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(",", actual.shape)}], expected [{string.Join(",", expectedTensor.shape)}]");
        using var diff = (actual.detach().cpu().to(ScalarType.Float64) - expectedTensor.to(ScalarType.Float64)).abs().max();
        var error = diff.item<double>();
        Assert.True(error <= tolerance, $"{what}: max abs error {error:E3} > {tolerance:E0}");
    }

    public static void AssertClose(string expectedName, Tensor actual, double tolerance = 1e-5) =>
        AssertClose(Expected(expectedName), actual, tolerance, expectedName);
}
