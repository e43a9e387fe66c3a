using BertPlatform.GpuRunner.Modeling;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Export;

/// <summary>A task model's parameters as float arrays under their Hugging Face names, read once to the CPU.</summary>
internal sealed class ModelWeights
{
    private readonly Dictionary<string, (float[] Values, long[] Shape)> weights = new(StringComparer.Ordinal);

    public ModelWeights(BertTaskModel model)
    {
        using var scope = NewDisposeScope();
        foreach (var (name, tensor) in model.state_dict())
        {
            if (!tensor.is_floating_point()) continue;
            using var cpu = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
            weights[name] = (cpu.data<float>().ToArray(), cpu.shape);
        }
    }

    public (float[] Values, long[] Shape) this[string name] =>
        weights.TryGetValue(name, out var w) ? w : throw new KeyNotFoundException($"The model has no parameter '{name}'.");

    /// <summary>Adds an <c>nn.Linear</c> as <c>MatMul(x, Wᵀ) + b</c>: ONNX's MatMul wants <c>[in, out]</c>, PyTorch
    /// stores <c>[out, in]</c>.</summary>
    public string Dense(OnnxGraphBuilder graph, string input, string prefix, string? output = null)
    {
        var (values, shape) = this[prefix + ".weight"];
        int rows = (int)shape[0], columns = (int)shape[1];
        var transposed = new float[values.Length];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                transposed[c * rows + r] = values[r * columns + c];
        var weight = graph.Weight(prefix + ".weight", transposed, columns, rows);
        var product = graph.Node("MatMul", [input, weight]);
        return graph.Node("Add", [product, Vector(graph, prefix + ".bias")], output);
    }

    public string Vector(OnnxGraphBuilder graph, string name)
    {
        var (values, shape) = this[name];
        return graph.Weight(name, values, shape);
    }

    public string LayerNorm(OnnxGraphBuilder graph, string input, string prefix, double epsilon, string? output = null) =>
        graph.Node("LayerNormalization", [input, Vector(graph, prefix + ".weight"), Vector(graph, prefix + ".bias")], output,
            OnnxAttributeValue.Of("axis", -1L), OnnxAttributeValue.Of("epsilon", (float)epsilon));
}
