namespace BertPlatform.GpuRunner.Import;

/// <summary>
/// An <c>nn.Linear</c> as exported: <c>MatMul(x, W[in,out])</c> followed by <c>Add(b)</c> (either operand order),
/// or one <c>Gemm(x, W, b)</c> whose <c>transB=1</c> keeps PyTorch's <c>[out,in]</c> layout.
/// </summary>
internal sealed record DenseLayer(OnnxNode Node, OnnxTensor Weight, bool WeightIsInputMajor, OnnxTensor Bias, string Output)
{
    public long InFeatures => WeightIsInputMajor ? Weight.Dims[0] : Weight.Dims[1];

    public long OutFeatures => WeightIsInputMajor ? Weight.Dims[1] : Weight.Dims[0];

    public void AssignTo(InitializerLedger ledger, string prefix, long outFeatures, long inFeatures)
    {
        ledger.Assign(prefix + ".weight", Weight, WeightIsInputMajor, outFeatures, inFeatures);
        ledger.Assign(prefix + ".bias", Bias, transpose: false, outFeatures);
    }

    /// <summary>Every dense layer whose input is <paramref name="input"/>. A MatMul of that value by anything but a
    /// weight initializer is an error, because along the residual stream only dense layers multiply.</summary>
    public static List<DenseLayer> ConsumersOf(OnnxGraphIndex graph, string input) =>
        graph.DataConsumers(input)
            .Where(n => n.OpType is "MatMul" or "Gemm" && n.Inputs[0] == input)
            .Select(n => Match(graph, n))
            .ToList();

    public static bool IsDense(OnnxGraphIndex graph, OnnxNode node) =>
        node.OpType is "MatMul" or "Gemm" && node.Inputs.Count > 1 && graph.Weight(node.Inputs[1]) != null;

    public static DenseLayer Match(OnnxGraphIndex graph, OnnxNode node)
    {
        var weight = graph.Weight(node.Inputs[1]) is { Dims.Count: 2 } w
            ? w
            : throw new OnnxImportException(
                $"{node.Describe()} multiplies the hidden state by {graph.Origin(node.Inputs[1])}; expected a 2-D float weight initializer.");
        return node.OpType == "Gemm" ? MatchGemm(graph, node, weight) : MatchMatMul(graph, node, weight);
    }

    private static DenseLayer MatchMatMul(OnnxGraphIndex graph, OnnxNode node, OnnxTensor weight)
    {
        var consumers = graph.DataConsumers(node.Outputs[0]);
        if (consumers is not [{ OpType: "Add" } add])
            throw new OnnxImportException(
                $"{node.Describe()} (weight '{weight.Name}') is not followed by a single bias Add; found {Describe(consumers)}.");
        var biasName = add.Inputs[0] == node.Outputs[0] ? add.Inputs[1] : add.Inputs[0];
        var bias = graph.Weight(biasName) is { Dims.Count: 1 } b
            ? b
            : throw new OnnxImportException(
                $"{add.Describe()} after {node.Describe()} (weight '{weight.Name}') adds {graph.Origin(biasName)}; expected a 1-D float bias initializer.");
        return new DenseLayer(node, weight, WeightIsInputMajor: true, bias, add.Outputs[0]);
    }

    private static DenseLayer MatchGemm(OnnxGraphIndex graph, OnnxNode node, OnnxTensor weight)
    {
        if ((node.IntAttribute("transA") ?? 0) != 0 || (node.FloatAttribute("alpha") ?? 1) != 1 || (node.FloatAttribute("beta") ?? 1) != 1)
            throw new OnnxImportException($"{node.Describe()} uses transA/alpha/beta; only y = x·W + b (transB 0 or 1) is a linear layer.");
        var biasName = node.Inputs.Count > 2 ? node.Inputs[2] : "";
        var bias = graph.Weight(biasName) is { Dims.Count: 1 } b
            ? b
            : throw new OnnxImportException(
                $"{node.Describe()} (weight '{weight.Name}') has bias {(biasName.Length == 0 ? "none" : graph.Origin(biasName))}; expected a 1-D float bias initializer.");
        return new DenseLayer(node, weight, WeightIsInputMajor: (node.IntAttribute("transB") ?? 0) == 0, bias, node.Outputs[0]);
    }

    internal static string Describe(IReadOnlyList<OnnxNode> nodes) =>
        nodes.Count == 0 ? "nothing" : string.Join(", ", nodes.Select(n => n.Describe()));
}
