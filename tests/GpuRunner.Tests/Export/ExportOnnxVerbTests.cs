using BertPlatform.GpuRunner.Cli;
using BertPlatform.GpuRunner.Import;

namespace BertPlatform.GpuRunner.Tests.Export;

/// <summary>The <c>export-onnx</c> verb on the tiny-bert fixtures.</summary>
public sealed class ExportOnnxVerbTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("export-onnx-verb-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Exports_the_models_own_head_or_only_the_encoder()
    {
        var head = Path.Combine(directory, "qa.onnx");
        Assert.Equal(0, CommandLine.Run(["export-onnx", "--model", TinyBert.Head("qa"), "--output", head]));
        var graph = OnnxModelReader.Read(head);
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], graph.Inputs);
        Assert.Equal(["start_logits", "end_logits"], graph.Outputs);

        var encoder = Path.Combine(directory, "encoder.onnx");
        Assert.Equal(0, CommandLine.Run(["export-onnx", "--model", TinyBert.Head("seqcls"), "--output", encoder, "--encoder-only"]));
        Assert.Equal(["last_hidden_state", "pooler_output"], OnnxModelReader.Read(encoder).Outputs);
    }

    [Fact]
    public void Without_a_model_it_is_a_usage_error() =>
        Assert.Equal(64, CommandLine.Run(["export-onnx", "--output", Path.Combine(directory, "x.onnx")]));
}
