using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Export;
using BertPlatform.GpuRunner.Import;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.Shared.Tokenization;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tests.Export;

/// <summary>
/// Every head exported to ONNX computes, under ONNX Runtime, what the TorchSharp model computes on real tokenized
/// text in a padded batch (padding positions included), and the exported encoder imports back to the same weights.
/// </summary>
public sealed class OnnxExportParityTests : IDisposable
{
    private const double Tolerance = 1e-4;

    private static readonly (string Text, string? Pair)[] Texts =
    [
        ("The quick brown fox jumps over the lazy dog.", null),
        ("Fine-tuning a pretrained encoder beats training from scratch.", "When labeled data is scarce."),
        ("I loved this movie!", null),
        ("Café prices in Zürich rose by 12% last year.", "Économistes say so."),
    ];

    private readonly string directory = Directory.CreateTempSubdirectory("onnx-export-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<string, string, string?> Heads => new()
    {
        { "root", BertOnnxExporter.EncoderOnly, null },
        { "seqcls", nameof(BertForSequenceClassification), null },
        { "seqcls", nameof(BertForSequenceClassification), BertForSequenceClassification.MultiLabel },
        { "root", nameof(BertForSequenceClassification), BertForSequenceClassification.Regression },
        { "tokcls", nameof(BertForTokenClassification), null },
        { "qa", nameof(BertForQuestionAnswering), null },
        { "root", nameof(BertForMaskedLM), null },
    };

    [Theory]
    [MemberData(nameof(Heads))]
    public void Exported_head_matches_the_TorchSharp_model_on_a_padded_batch(string fixture, string architecture, string? problemType)
    {
        using var model = Load(fixture, architecture, problemType);
        var path = Path.Combine(directory, BertOnnxExporter.FileName);
        BertOnnxExporter.Export(model, path, architecture);

        var (ids, mask, types, shape) = Encode(BertTextTokenizer.Load(TinyBert.Root));
        Assert.Contains(0L, mask); // the batch is padded
        var expected = TorchOutputs(model, architecture, ids, mask, types, shape);
        var actual = RunOnnx(File.ReadAllBytes(path), [ids, mask, types], shape, expected.Keys.ToArray());
        foreach (var (name, values) in expected) AssertClose(values, actual[name], $"{architecture} {name}");
    }

    [Fact]
    public void Exported_multiple_choice_head_matches_on_three_dimensional_inputs()
    {
        using var model = TinyBert.LoadEval(TinyBert.Head("mc"));
        var path = Path.Combine(directory, BertOnnxExporter.FileName);
        BertOnnxExporter.Export(model, path);
        var batch = TinyBert.MultipleChoiceBatch();
        Assert.Equal(3, batch.InputIds.dim());
        float[] expected;
        using (no_grad()) expected = model.forward(batch).Logits!.data<float>().ToArray();
        long[] Flat(Tensor t) => t.data<long>().ToArray();
        var actual = RunOnnx(File.ReadAllBytes(path), [Flat(batch.InputIds), Flat(batch.AttentionMask!), Flat(batch.TokenTypeIds!)],
            batch.InputIds.shape, ["logits"]);
        AssertClose(expected, actual["logits"], "multiple choice logits");
    }

    [Fact]
    public void Exported_encoder_imports_back_to_identical_weights()
    {
        using var model = TinyBert.LoadEval(TinyBert.Head("seqcls"));
        var path = Path.Combine(directory, BertOnnxExporter.FileName);
        BertOnnxExporter.Export(model, path, BertOnnxExporter.EncoderOnly);

        var mapping = BertGraphMapper.Map(OnnxModelReader.Read(path));
        Assert.Equal(model.Config.NumHiddenLayers, mapping.Sizes.NumHiddenLayers);
        Assert.Equal(model.Config.NumAttentionHeads, mapping.Sizes.NumAttentionHeads);
        Assert.Equal(model.Config.IntermediateSize, mapping.Sizes.IntermediateSize);
        Assert.Equal(model.Config.LayerNormEps, mapping.Sizes.LayerNormEps);
        Assert.True(mapping.Sizes.HasPooler);
        var original = model.state_dict().Where(kv => kv.Key.StartsWith("bert.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key["bert.".Length..], kv => kv.Value);
        Assert.Equal(original.Keys.Order(StringComparer.Ordinal), mapping.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var tensor in mapping.Tensors)
        {
            Assert.Equal(original[tensor.Name].shape, tensor.Shape);
            Assert.Equal(original[tensor.Name].data<float>().ToArray(), tensor.ToFloats());
        }
    }

    [Fact]
    public void Export_of_an_unknown_architecture_names_the_supported_ones()
    {
        using var model = TinyBert.LoadEval(TinyBert.Head("seqcls"));
        var error = Assert.Throws<ArgumentException>(() => BertOnnxExporter.Export(model, Path.Combine(directory, "x.onnx"), "BertForNothing"));
        Assert.Contains("BertForTokenClassification", error.Message);
        Assert.False(File.Exists(Path.Combine(directory, "x.onnx")));
    }

    private static BertTaskModel Load(string fixture, string architecture, string? problemType)
    {
        var directory = fixture == "root" ? TinyBert.Root : TinyBert.Head(fixture);
        var loadAs = architecture == BertOnnxExporter.EncoderOnly ? nameof(BertForSequenceClassification) : architecture;
        // Regression has one output; its new classifier is seeded so the run repeats.
        random.manual_seed(7);
        var (model, _) = HuggingFaceCheckpoint.FromPretrained(directory, loadAs, c =>
        {
            if (problemType == BertForSequenceClassification.Regression) c.NumLabels = 1;
            if (problemType != null) c.ProblemType = problemType;
        });
        model.eval();
        return model;
    }

    private static (long[] Ids, long[] Mask, long[] Types, long[] Shape) Encode(BertTextTokenizer tokenizer)
    {
        var encoded = Texts.Select(t => tokenizer.Encode(t.Text, t.Pair)).ToList();
        var tokens = encoded.Max(e => e.Length);
        var ids = new long[encoded.Count * tokens];
        var mask = new long[ids.Length];
        var types = new long[ids.Length];
        for (var b = 0; b < encoded.Count; b++)
            for (var t = 0; t < encoded[b].Length; t++)
            {
                ids[b * tokens + t] = encoded[b].InputIds[t];
                mask[b * tokens + t] = 1;
                types[b * tokens + t] = encoded[b].TokenTypeIds[t];
            }
        return (ids, mask, types, [encoded.Count, tokens]);
    }

    private static Dictionary<string, float[]> TorchOutputs(BertTaskModel model, string architecture, long[] ids, long[] mask, long[] types, long[] shape)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var batch = new BertBatch
        {
            InputIds = tensor(ids).reshape(shape), AttentionMask = tensor(mask).reshape(shape), TokenTypeIds = tensor(types).reshape(shape),
        };
        float[] Values(Tensor t) => t.contiguous().data<float>().ToArray();
        if (architecture == BertOnnxExporter.EncoderOnly)
        {
            // The bare encoder: a task head may compute only the rows it reads.
            var (sequence, pooled) = model.Encoder.forward(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
            return new() { ["last_hidden_state"] = Values(sequence), ["pooler_output"] = Values(pooled!) };
        }
        var output = model.forward(batch);
        return architecture switch
        {
            nameof(BertForQuestionAnswering) => new() { ["start_logits"] = Values(output.StartLogits!), ["end_logits"] = Values(output.EndLogits!) },
            _ => new() { ["logits"] = Values(output.Logits!) },
        };
    }

    private static Dictionary<string, float[]> RunOnnx(byte[] model, long[][] inputs, long[] shape, string[] outputNames)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        var values = inputs.Select(i => OrtValue.CreateTensorValueFromMemory(i, shape)).ToList();
        try
        {
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, BertOnnxExporter.InputNames, values, outputNames);
            return outputNames.Select((name, i) => (name, outputs[i].GetTensorDataAsSpan<float>().ToArray())).ToDictionary(p => p.name, p => p.Item2);
        }
        finally
        {
            foreach (var value in values) value.Dispose();
        }
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Select((e, i) => Math.Abs(e - actual[i])).Max();
        Assert.True(worst <= Tolerance, $"{what}: max |ONNX Runtime - TorchSharp| = {worst:E3} > {Tolerance:E0}");
    }
}
