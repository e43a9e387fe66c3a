using System.Text.Json;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.TestSupport;

namespace BertPlatform.GpuRunner.Tests;

/// <summary>
/// Memory of inference passes, measured as the peak resident memory of a child <c>bench</c> process, so that nothing
/// else this suite runs moves it.
/// </summary>
public sealed class InferenceMemoryTests
{
    private const int Batch = 32;
    private const int Length = 128;
    private const int Hidden = 512;
    private const long HiddenStateBytes = (long)Batch * Length * Hidden * sizeof(float); // 8 MiB

    [Fact]
    public async Task An_inference_pass_holds_one_layers_activations_whatever_the_depth()
    {
        // glibc serves every allocation above 64 KB from its own mapping here and unmaps it on free, so resident
        // memory is the memory alive at each moment, without the heap's retention.
        var live = new Dictionary<string, string> { ["MALLOC_MMAP_THRESHOLD_"] = "65536", [NativeHeap.OptOutVariable] = "glibc" };
        var shallow = await BenchAsync(Small(layers: 2), steps: 1, live);
        var deep = await BenchAsync(Small(layers: 8), steps: 1, live);

        // Six more layers add their weights; holding each layer's output until the pass ends would add six hidden
        // states (48 MiB) on top, while freeing it once the next layer has run adds none (11 MiB of other growth here).
        var growth = deep.ActivationPeakBytes - shallow.ActivationPeakBytes;
        Assert.True(growth < 3 * HiddenStateBytes,
            $"the peak beyond the weights grew by {growth / 1048576.0:F1} MiB from 2 to 8 layers (one hidden state is {HiddenStateBytes / 1048576.0:F0} MiB)");
    }

    [Fact]
    public async Task Inference_peak_memory_stays_bounded_however_many_batches_run()
    {
        // The runner's own heap settings for inference (NativeHeap): the heap gives its free pages back each time it has
        // grown by a release step. Under glibc's defaults (BERT_NATIVE_HEAP=glibc) the same runs grew by 147 MiB from 2
        // to 16 batches, as freed activations left holes the next batch could not reuse.
        var runner = new Dictionary<string, string>();
        var config = Small(layers: 4);
        var two = await BenchAsync(config, steps: 2, runner);
        var sixteen = await BenchAsync(config, steps: 16, runner);

        var growth = sixteen.PeakResidentBytes - two.PeakResidentBytes;
        Assert.True(growth < NativeHeap.ReleaseStep + 2 * HiddenStateBytes,
            $"peak RSS grew by {growth / 1048576.0:F1} MiB from 2 to 16 batches (a release step is {NativeHeap.ReleaseStep >> 20} MiB, one hidden state {HiddenStateBytes / 1048576.0:F0} MiB)");
    }

    /// <summary>Wide hidden states, so that one is worth measuring, and a narrow feed-forward, so that the runs are short.</summary>
    private static BertConfig Small(int layers)
    {
        var config = BertConfig.Preset("small", vocabSize: 1000);
        config.NumHiddenLayers = layers;
        config.IntermediateSize = Hidden;
        return config;
    }

    private sealed record BenchResult(long PeakResidentBytes, long Parameters)
    {
        public long ActivationPeakBytes => PeakResidentBytes - Parameters * sizeof(float);
    }

    private static async Task<BenchResult> BenchAsync(BertConfig config, int steps, IReadOnlyDictionary<string, string> environment)
    {
        var path = Path.Combine(Path.GetTempPath(), $"inference-memory-{Guid.NewGuid():N}.json");
        config.Save(path);
        try
        {
            using var bench = ChildProcess.StartDotnet("GpuRunner", "GpuRunner",
                ["bench", "--config", path, "--batch", $"{Batch}", "--seq", $"{Length}", "--steps", $"{steps}", "--warmup", "1", "--inference", "--device", "cpu"],
                environment);
            Assert.True(await bench.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, bench.Output);
            var line = bench.Output.Split('\n').Single(l => l.StartsWith('{'));
            using var json = JsonDocument.Parse(line);
            return new BenchResult(json.RootElement.GetProperty("peak_rss_bytes").GetInt64(), json.RootElement.GetProperty("parameters").GetInt64());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
