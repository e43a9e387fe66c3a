using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tests;

[CollectionDefinition(nameof(MemoryTests), DisableParallelization = true)]
public sealed class MemoryTestsCollection;

/// <summary>Runs alone: other tests allocating models in parallel would move this process's RSS.</summary>
[Collection(nameof(MemoryTests))]
public sealed class MemoryTests
{
    [Fact]
    public void TrainingWithADisposeScopePerStepKeepsResidentMemoryFlat()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var config = BertConfig.Preset("tiny", vocabSize: 500);
        using var model = BertModels.Create(config, nameof(BertForSequenceClassification));
        model.train();
        using var optimizer = new FusedAdamW([new AdamWGroup(model.named_parameters().ToList(), 0.01)], learningRate: 1e-4);
        var rss = new List<double>();
        const int steps = 120;
        DisposeScopeManager.Statistics.Reset();
        for (var step = 0; step < steps; step++)
        {
            using (NewDisposeScope())
            {
                var batch = new BertBatch
                {
                    InputIds = randint(1, config.VocabSize, [4, 16]),
                    AttentionMask = ones(4, 16, dtype: ScalarType.Int64),
                    Labels = randint(0, 2, [4]),
                };
                optimizer.ZeroGrad();
                model.forward(batch).Loss!.backward();
                optimizer.Step(FusedAdamW.ClippingScale(optimizer.GradientNorm(), 1.0));
            }
            // Without a collection RSS climbs ~0.5 MB/step until the first gen-0 GC and then plateaus: some per-step
            // native memory is released by finalizers, not by the scope. Collecting before each sample separates that
            // from real growth (tensors kept alive), which no collection can free.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            rss.Add(ResidentMegabytes());
        }

        var statistics = DisposeScopeManager.Statistics;
        Assert.Equal(0, statistics.CreatedOutsideScopeCount);
        Assert.Equal(statistics.CreatedInScopeCount, statistics.DisposedInScopeCount);
        var early = rss.Skip(30).Take(30).Average();
        var late = rss.Skip(steps - 30).Average();
        Assert.True(late - early < 4.0, $"resident memory grew from {early:F1} MB (steps 30-60) to {late:F1} MB (last 30 steps)");
    }

    [Fact]
    public void A_forward_pass_keeps_no_intermediate_of_its_layers_alive_whatever_the_depth()
    {
        // PyTorch frees each intermediate when its last reference goes; TorchSharp only when its handle is disposed.
        // After the pass, the tensors still alive in the caller's scope must not grow with the number of layers.
        Assert.Equal(LiveTensorsAfterForward(layers: 1), LiveTensorsAfterForward(layers: 6));
    }

    private static int LiveTensorsAfterForward(int layers)
    {
        manual_seed(3);
        var config = BertConfig.Preset("tiny", vocabSize: 100);
        config.NumHiddenLayers = layers;
        using var model = BertModels.Create(config, nameof(BertForSequenceClassification));
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var batch = new BertBatch { InputIds = randint(1, config.VocabSize, [2, 12]), AttentionMask = ones(2, 12, dtype: ScalarType.Int64) };
        var before = scope.DisposablesCount;
        _ = model.forward(batch);
        return scope.DisposablesCount - before;
    }

    private static double ResidentMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }
}
