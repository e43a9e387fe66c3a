namespace BertPlatform.GpuRunner.Import;

/// <summary>Who produces and who consumes each value of a graph, and the constant behind a value where there is one.</summary>
public sealed class OnnxGraphIndex
{
    private readonly Dictionary<string, OnnxNode> producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<OnnxNode>> consumers = new(StringComparer.Ordinal);

    public OnnxGraphIndex(OnnxGraph graph)
    {
        Graph = graph;
        foreach (var node in graph.Nodes)
        {
            foreach (var output in node.Outputs.Where(o => o.Length > 0)) producers[output] = node;
            foreach (var input in node.Inputs.Where(i => i.Length > 0).Distinct())
            {
                if (!consumers.TryGetValue(input, out var list)) consumers[input] = list = [];
                list.Add(node);
            }
        }
    }

    public OnnxGraph Graph { get; }

    public OnnxNode? Producer(string value) => producers.GetValueOrDefault(value);

    /// <summary>The nodes reading a value, leaving out <c>Shape</c> nodes: they only feed the dynamic reshape
    /// arithmetic exporters emit, never the data path.</summary>
    public IReadOnlyList<OnnxNode> DataConsumers(string value) =>
        consumers.TryGetValue(value, out var list) ? list.Where(n => n.OpType != "Shape").ToList() : [];

    public bool IsGraphInput(string value) => Graph.Inputs.Contains(value);

    /// <summary>A float initializer with at least two elements: a weight, as opposed to a scalar constant.</summary>
    public OnnxTensor? Weight(string value) =>
        Graph.Initializers.TryGetValue(value, out var tensor) && tensor.IsFloat && tensor.ElementCount > 1 ? tensor : null;

    /// <summary>The tensor behind a value that is an initializer or the output of a <c>Constant</c> node.</summary>
    public OnnxTensor? Constant(string value)
    {
        if (Graph.Initializers.TryGetValue(value, out var tensor)) return tensor;
        var producer = Producer(value);
        return producer is { OpType: "Constant" } && producer.Attributes.TryGetValue("value", out var attribute)
            ? attribute.Tensor
            : null;
    }

    /// <summary>Describes where a value comes from, for error messages.</summary>
    public string Origin(string value) =>
        Graph.Initializers.ContainsKey(value) ? $"initializer '{value}'"
        : Producer(value) is { } node ? $"'{value}' (output of {node.Describe()})"
        : IsGraphInput(value) ? $"graph input '{value}'"
        : $"'{value}' (neither an initializer, a graph input nor any node's output)";
}
