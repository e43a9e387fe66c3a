namespace BertPlatform.GpuRunner.Export;

/// <summary>Collects the nodes, initializers, inputs and outputs of a graph as it is built, naming every
/// intermediate value after the node that produces it.</summary>
public sealed class OnnxGraphBuilder
{
    public const int FloatType = 1, Int64Type = 7;

    private readonly List<OnnxNodeSpec> nodes = [];
    private readonly List<OnnxInitializerSpec> initializers = [];
    private readonly List<OnnxValueSpec> inputs = [];
    private readonly List<OnnxValueSpec> outputs = [];
    private readonly Dictionary<string, string> constants = new(StringComparer.Ordinal);
    private int counter;

    public IReadOnlyList<OnnxNodeSpec> Nodes => nodes;

    public IReadOnlyList<OnnxInitializerSpec> Initializers => initializers;

    public IReadOnlyList<OnnxValueSpec> Inputs => inputs;

    public IReadOnlyList<OnnxValueSpec> Outputs => outputs;

    public string Input(string name, int elementType, params object[] shape)
    {
        inputs.Add(new OnnxValueSpec(name, elementType, shape));
        return name;
    }

    public void Output(string name, int elementType, params object[] shape) => outputs.Add(new OnnxValueSpec(name, elementType, shape));

    /// <summary>A float weight under its Hugging Face parameter name.</summary>
    public string Weight(string name, float[] values, params long[] dims)
    {
        initializers.Add(new OnnxInitializerSpec(name, dims, FloatType, OnnxModelWriter.Bytes(values)));
        return name;
    }

    /// <summary>A float scalar constant (shape []), shared by every node that uses the same value.</summary>
    public string Scalar(float value) => Constant($"const_f_{value:R}", () =>
        new OnnxInitializerSpec("", [], FloatType, OnnxModelWriter.Bytes([value])));

    /// <summary>An int64 constant: a scalar when <paramref name="scalar"/>, else a 1-D tensor (shapes, axes, indices).</summary>
    public string Int64s(long[] values, bool scalar = false) => Constant(
        $"const_i{(scalar ? "s" : "")}_{string.Join("_", values).Replace('-', 'm')}",
        () => new OnnxInitializerSpec("", scalar ? [] : [values.Length], Int64Type, OnnxModelWriter.Bytes(values)));

    private string Constant(string name, Func<OnnxInitializerSpec> create)
    {
        if (constants.TryGetValue(name, out var existing)) return existing;
        initializers.Add(create() with { Name = name });
        constants[name] = name;
        return name;
    }

    /// <summary>Adds a one-output node and returns its output's name (<paramref name="output"/> when given).</summary>
    public string Node(string opType, string[] nodeInputs, string? output = null, params OnnxAttributeValue[] attributes)
    {
        var name = $"{opType}_{counter++}";
        var result = output ?? name + "_out";
        nodes.Add(new OnnxNodeSpec(name, opType, nodeInputs, [result], attributes));
        return result;
    }

    public void Save(string path, string graphName, int opset)
    {
        using var stream = File.Create(path);
        OnnxModelWriter.Write(stream, graphName, opset, nodes, initializers, inputs, outputs);
    }
}
