using System.Text.Json;
using BertPlatform.GpuRunner.Cli;
using BertPlatform.GpuRunner.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tests;

public sealed class BenchAndDeviceTests
{
    [Fact]
    public void DevicesResolveCpuAutoAndRejectUnknownNames()
    {
        Assert.Equal(DeviceType.CPU, Devices.Resolve("cpu").type);
        var auto = Devices.Resolve(null);
        Assert.Equal(cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, auto.type);
        Assert.Throws<ArgumentException>(() => Devices.Resolve("tpu"));
        if (!cuda.is_available())
            Assert.Contains("CUDA is not available", Assert.Throws<InvalidOperationException>(() => Devices.Resolve("cuda")).Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BenchPrintsOneJsonLineWithThroughputAndPeakMemory(bool inference)
    {
        var config = Path.Combine(Path.GetTempPath(), $"bench-config-{Guid.NewGuid():N}.json");
        BertConfig.Preset("tiny", vocabSize: 300).Save(config);
        var original = Console.Out;
        var captured = new StringWriter();
        try
        {
            Console.SetOut(captured);
            string[] args = ["bench", "--config", config, "--batch", "2", "--seq", "16", "--steps", "2", "--device", "cpu"];
            Assert.Equal(0, CommandLine.Run(inference ? [.. args, "--inference"] : args));
        }
        finally
        {
            Console.SetOut(original);
            File.Delete(config);
        }
        var line = Assert.Single(captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.True(root.GetProperty("samples_per_second").GetDouble() > 0);
        Assert.Equal(root.GetProperty("samples_per_second").GetDouble() * 16, root.GetProperty("tokens_per_second").GetDouble(), 6);
        Assert.True(root.GetProperty("peak_rss_bytes").GetInt64() > 0);
        Assert.Equal(inference ? "inference" : "train", root.GetProperty("mode").GetString());
        // A forward pass only: nothing is charged to backward or the optimizer.
        Assert.Equal(inference, root.GetProperty("backward_seconds_per_step").GetDouble() == 0);
        Assert.Equal(inference, root.GetProperty("optimizer_seconds_per_step").GetDouble() == 0);
        Assert.Equal(Environment.ProcessorCount, root.GetProperty("threads").GetInt32());
    }

    [Fact]
    public void Bench_ops_prints_each_operation_of_a_step_with_its_count_per_step()
    {
        var config = Path.Combine(Path.GetTempPath(), $"bench-config-{Guid.NewGuid():N}.json");
        var tiny = BertConfig.Preset("tiny", vocabSize: 300);
        tiny.Save(config);
        var original = Console.Out;
        var captured = new StringWriter();
        try
        {
            Console.SetOut(captured);
            Assert.Equal(0, CommandLine.Run(["bench", "--config", config, "--batch", "2", "--seq", "16", "--steps", "2", "--ops", "--device", "cpu"]));
        }
        finally
        {
            Console.SetOut(original);
            File.Delete(config);
        }
        var lines = captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var counts = lines.ToDictionary(l => l.GetProperty("op").GetString()!, l => l.GetProperty("per_step").GetInt32());
        var layers = tiny.NumHiddenLayers;
        Assert.Equal(4 * layers, counts["linear_hidden_to_hidden"]);
        Assert.Equal(layers, counts["attention_with_dropout"]);
        Assert.Equal(2 * layers + 1, counts["layer_norm"]);
        Assert.Equal(1, counts["word_embedding"]);
        Assert.All(lines, l =>
        {
            Assert.True(l.GetProperty("forward_ms").GetDouble() > 0);
            // Both figures are rounded (ms to 3 places, seconds to 4): they agree within that rounding.
            var fromMilliseconds = l.GetProperty("forward_ms").GetDouble() * l.GetProperty("per_step").GetInt32() / 1000;
            Assert.InRange(l.GetProperty("step_forward_seconds").GetDouble() - fromMilliseconds, -1e-4, 1e-4);
        });
    }
}
