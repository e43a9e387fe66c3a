namespace BertPlatform.GpuRunner.Import;

/// <summary>The parts of an ONNX <c>GraphProto</c> the importer reads: nodes in file order, initializers by name,
/// and the names of the graph's inputs and outputs.</summary>
public sealed record OnnxGraph(
    IReadOnlyList<OnnxNode> Nodes,
    IReadOnlyDictionary<string, OnnxTensor> Initializers,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs);

/// <summary>One <c>NodeProto</c>. An empty input name means an omitted optional input, as in ONNX.</summary>
public sealed record OnnxNode(
    string Name,
    string OpType,
    string Domain,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, OnnxAttribute> Attributes)
{
    public string Describe() => $"{OpType} node '{(Name.Length > 0 ? Name : string.Join(",", Outputs))}'";

    public long? IntAttribute(string name) => Attributes.TryGetValue(name, out var a) ? a.Int : null;

    public float? FloatAttribute(string name) => Attributes.TryGetValue(name, out var a) ? a.Float : null;

    public IReadOnlyList<long>? IntsAttribute(string name) => Attributes.TryGetValue(name, out var a) ? a.Ints : null;
}

/// <summary>One <c>AttributeProto</c>; only the value field its type uses is meaningful.</summary>
public sealed record OnnxAttribute(
    string Name,
    float Float,
    long Int,
    string String,
    OnnxTensor? Tensor,
    IReadOnlyList<float> Floats,
    IReadOnlyList<long> Ints);
