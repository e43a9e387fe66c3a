using System.Diagnostics;
using System.Text.Json;
using BertPlatform.GpuRunner.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Cli;

/// <summary>
/// <c>bench --ops</c>: each kind of operation in a BERT training step timed alone at the step's shapes, forward and
/// backward, and multiplied by how often one step runs it, so the step's time splits by operation. TorchSharp has no
/// profiler API; timing each operation on its own is the per-op profile that is left, and
/// <c>tools/bench/torch_ops.py</c> does the same operations in PyTorch for a side-by-side table. Prints one JSON line
/// per operation.
/// </summary>
public static class OperatorProfile
{
    private sealed record Operation(string Name, int PerStep, Func<Tensor[]> Inputs, Func<Tensor[], Tensor> Run);

    public static void Print(BertConfig config, int batchSize, int length, int repetitions, Device device)
    {
        var (h, inner, heads) = (config.HiddenSize, config.IntermediateSize, config.NumAttentionHeads);
        var layers = config.NumHiddenLayers;
        Tensor Activations(long width) => randn([batchSize, length, width], device: device, requires_grad: true);
        Tensor Weight(long rows, long columns) => new Parameter(randn([rows, columns], device: device) * 0.02);
        Tensor Bias(long size) => new Parameter(zeros([size], device: device));
        Tensor Split(Tensor projected) => projected.view(batchSize, length, heads, h / heads).transpose(1, 2); // as the model's Q, K, V

        TorchSharp.Modules.Embedding? words = null; // mBERT-sized: the step's lookup and its backward into .grad
        Operation[] operations =
        [
            new("linear_hidden_to_hidden", 4 * layers, () => [Activations(h), Weight(h, h), Bias(h)], t => nn.functional.linear(t[0], t[1], t[2])),
            new("linear_hidden_to_intermediate", layers, () => [Activations(h), Weight(inner, h), Bias(inner)], t => nn.functional.linear(t[0], t[1], t[2])),
            new("linear_intermediate_to_hidden", layers, () => [Activations(inner), Weight(h, inner), Bias(h)], t => nn.functional.linear(t[0], t[1], t[2])),
            new("attention_with_dropout", layers, () => [Activations(h), Activations(h), Activations(h)],
                t => BertSelfAttention.Attend(Split(t[0]), Split(t[1]), Split(t[2]), null, config.AttentionProbsDropoutProb)),
            new("heads_merge", layers, () => [randn([batchSize, heads, length, h / heads], device: device, requires_grad: true)],
                t => t[0].transpose(1, 2).reshape(batchSize, length, h)),
            new("layer_norm", 2 * layers + 1, () => [Activations(h), new Parameter(ones([h], device: device)), Bias(h)],
                t => nn.functional.layer_norm(t[0], [h], t[1], t[2], config.LayerNormEps)),
            new("gelu", layers, () => [Activations(inner)], t => nn.functional.gelu(t[0])),
            new("dropout_hidden", 2 * layers + 1, () => [Activations(h)], t => BertDropout.Apply(t[0], config.HiddenDropoutProb)),
            new("residual_add", 2 * layers, () => [Activations(h), Activations(h)], t => t[0] + t[1]),
            new("word_embedding", 1, () =>
                {
                    words = nn.Embedding(config.VocabSize, h, device: device);
                    return [randint(1, config.VocabSize, [batchSize, length], device: device), words.weight!];
                },
                t => WordEmbeddingLookup.Of(words!.weight!, t[0], config.PadTokenId)),
        ];

        foreach (var operation in operations)
        {
            var (forward, backward) = Time(operation, repetitions, device);
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["op"] = operation.Name,
                ["per_step"] = operation.PerStep,
                ["forward_ms"] = Math.Round(forward * 1000, 3),
                ["backward_ms"] = Math.Round(backward * 1000, 3),
                ["step_forward_seconds"] = Math.Round(forward * operation.PerStep, 4),
                ["step_backward_seconds"] = Math.Round(backward * operation.PerStep, 4),
            }));
        }
    }

    /// <summary>Mean forward seconds, and mean backward seconds (forward-and-backward less forward), after one warm-up.</summary>
    private static (double Forward, double Backward) Time(Operation operation, int repetitions, Device device)
    {
        using var scope = NewDisposeScope();
        var inputs = operation.Inputs();
        double forward = 0, both = 0;
        for (var i = 0; i <= repetitions; i++)
        {
            using var step = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            var output = operation.Run(inputs);
            Synchronize(device);
            var forwardSeconds = clock.Elapsed.TotalSeconds;
            output.backward([ones_like(output)]);
            Synchronize(device);
            var bothSeconds = clock.Elapsed.TotalSeconds;
            ResetGradients(inputs);
            if (i == 0) continue; // warm-up: first-call allocations and kernel selection
            forward += forwardSeconds;
            both += bothSeconds;
        }
        return (forward / repetitions, (both - forward) / repetitions);
    }

    /// <summary>
    /// As between training steps: parameters keep their gradient tensors, zeroed (the trainer zeroes them in place),
    /// and activations, which are new every step, drop theirs.
    /// </summary>
    private static void ResetGradients(IEnumerable<Tensor> inputs)
    {
        foreach (var input in inputs.Where(t => t.requires_grad))
        {
            if (input is not Parameter)
            {
                input.grad = null;
                continue;
            }
            using var grad = input.grad;
            using var _ = no_grad();
            grad?.zero_();
        }
    }

    private static void Synchronize(Device device)
    {
        if (device.type == TorchSharp.DeviceType.CUDA) cuda.synchronize(device);
    }
}
