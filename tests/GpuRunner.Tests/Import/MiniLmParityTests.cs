using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Import;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tests.Import;

/// <summary>
/// The end-to-end proof of the importer: all-MiniLM-L6-v2 imported from the package's ONNX file and loaded into
/// our TorchSharp BERT gives the same <c>last_hidden_state</c> as ONNX Runtime running that ONNX file.
/// </summary>
public sealed class MiniLmParityTests : IDisposable
{
    private const double Tolerance = 1e-4;
    private readonly string directory = Path.Combine(Directory.CreateTempSubdirectory("minilm-parity-").FullName, "all-MiniLM-L6-v2");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(directory)!, recursive: true);

    [Fact]
    public void Imported_MiniLM_in_our_BERT_reproduces_ONNX_Runtime_on_real_tokens()
    {
        MiniLmPackage.Import(directory);
        var batch = SentenceBatch.Encode(BertTextTokenizer.Load(directory));
        var expected = OnnxRuntimeReference.LastHiddenState(MiniLmModel.Bytes, batch);

        var (model, report) = HuggingFaceCheckpoint.FromPretrained(directory, nameof(BertForSequenceClassification));
        using var _ = model;
        // Everything but the new classifier comes from the import, pooler included.
        Assert.Equal(["classifier.bias", "classifier.weight"], report.MissingKeys.Order(StringComparer.Ordinal));
        Assert.Empty(report.UnexpectedKeys);

        model.eval();
        float[] actual;
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var (sequence, _) = model.Encoder.forward(
                tensor(batch.InputIds).reshape(batch.Batch, batch.Tokens),
                tensor(batch.TokenTypeIds).reshape(batch.Batch, batch.Tokens),
                tensor(batch.AttentionMask).reshape(batch.Batch, batch.Tokens));
            actual = sequence.data<float>().ToArray();
        }

        var hidden = MiniLmModel.Mapping.Sizes.HiddenSize;
        Assert.Equal(expected.Length, actual.Length);
        double maxDifference = 0;
        var realTokens = 0;
        for (var position = 0; position < batch.InputIds.Length; position++)
        {
            if (batch.AttentionMask[position] == 0) continue; // padding rows are not compared: HF and the export mask differently
            realTokens++;
            for (var h = 0; h < hidden; h++)
                maxDifference = Math.Max(maxDifference, Math.Abs(actual[position * hidden + h] - expected[position * hidden + h]));
        }
        Console.WriteLine($"MiniLM parity: {realTokens} real tokens in a {batch.Batch}x{batch.Tokens} batch, max |ours - ONNX Runtime| = {maxDifference:E3}");
        Assert.True(realTokens > 40, $"only {realTokens} real tokens");
        Assert.True(maxDifference < Tolerance, $"max abs difference {maxDifference:E3} exceeds {Tolerance:E0}");
    }
}
