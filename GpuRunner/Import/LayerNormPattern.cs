namespace BertPlatform.GpuRunner.Import;

/// <summary>
/// A LayerNorm over the last axis, either the fused <c>LayerNormalization</c> op (opset 17+) or the decomposition
/// older exporters emit: <c>(x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps) * gamma + beta</c>, i.e.
/// ReduceMean, Sub, Pow, ReduceMean, Add(eps), Sqrt, Div, Mul, Add.
/// </summary>
internal sealed record LayerNormPattern(OnnxTensor Gamma, OnnxTensor Beta, double Epsilon, string Output)
{
    /// <summary>The LayerNorm normalizing <paramref name="input"/>; <paramref name="role"/> names it in errors.</summary>
    public static LayerNormPattern Match(OnnxGraphIndex graph, string input, string role)
    {
        var consumers = graph.DataConsumers(input);
        if (consumers.FirstOrDefault(n => n.OpType == "LayerNormalization") is { } fused) return MatchFused(graph, fused, role);
        if (consumers.Any(n => n.OpType == "ReduceMean") && consumers.FirstOrDefault(n => n.OpType == "Sub" && n.Inputs[0] == input) is { } sub)
            return MatchDecomposed(graph, sub, role);
        throw new OnnxImportException(
            $"{role}: expected a LayerNorm (LayerNormalization, or ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div/Mul/Add) reading '{input}', found {DenseLayer.Describe(consumers)}.");
    }

    private static LayerNormPattern MatchFused(OnnxGraphIndex graph, OnnxNode node, string role)
    {
        var axis = node.IntAttribute("axis") ?? -1;
        if (axis != -1 && axis != 2)
            throw new OnnxImportException($"{role}: {node.Describe()} normalizes axis {axis}; BERT normalizes the last axis.");
        var gamma = Parameter(graph, node, node.Inputs.ElementAtOrDefault(1) ?? "", "scale", role);
        var beta = Parameter(graph, node, node.Inputs.ElementAtOrDefault(2) ?? "", "bias", role);
        // ONNX's default epsilon is 1e-5 when the attribute is absent.
        return new LayerNormPattern(gamma, beta, node.FloatAttribute("epsilon") ?? 1e-5f, node.Outputs[0]);
    }

    private static LayerNormPattern MatchDecomposed(OnnxGraphIndex graph, OnnxNode sub, string role)
    {
        var centered = sub.Outputs[0];
        var users = graph.DataConsumers(centered);
        var divide = users.FirstOrDefault(n => n.OpType == "Div" && n.Inputs[0] == centered)
            ?? throw Broken(role, sub, "a Div of the centered values by the standard deviation", users);
        var sqrt = graph.Producer(divide.Inputs[1]) is { OpType: "Sqrt" } s ? s : throw Broken(role, divide, "a Sqrt divisor", []);
        var addEpsilon = graph.Producer(sqrt.Inputs[0]) is { OpType: "Add" } a ? a : throw Broken(role, sqrt, "Add(variance, epsilon) under the Sqrt", []);
        var epsilonValue = graph.Constant(addEpsilon.Inputs[1]) ?? graph.Constant(addEpsilon.Inputs[0])
            ?? throw new OnnxImportException($"{role}: {addEpsilon.Describe()} adds no constant epsilon to the variance.");
        var scale = graph.DataConsumers(divide.Outputs[0]) is [{ OpType: "Mul" } mul] ? mul : throw Broken(role, divide, "a single Mul by gamma", graph.DataConsumers(divide.Outputs[0]));
        var shift = graph.DataConsumers(scale.Outputs[0]) is [{ OpType: "Add" } add] ? add : throw Broken(role, scale, "a single Add of beta", graph.DataConsumers(scale.Outputs[0]));
        var gamma = Parameter(graph, scale, Other(scale, divide.Outputs[0]), "gamma (Mul)", role);
        var beta = Parameter(graph, shift, Other(shift, scale.Outputs[0]), "beta (Add)", role);
        return new LayerNormPattern(gamma, beta, epsilonValue.ToScalar(), shift.Outputs[0]);
    }

    private static string Other(OnnxNode node, string known) => node.Inputs[0] == known ? node.Inputs[1] : node.Inputs[0];

    private static OnnxTensor Parameter(OnnxGraphIndex graph, OnnxNode node, string value, string what, string role) =>
        graph.Weight(value) is { Dims.Count: 1 } tensor
            ? tensor
            : throw new OnnxImportException($"{role}: the {what} input of {node.Describe()} is {graph.Origin(value)}; expected a 1-D float initializer.");

    private static OnnxImportException Broken(string role, OnnxNode after, string expected, IReadOnlyList<OnnxNode> found) =>
        new($"{role}: after {after.Describe()} expected {expected}{(found.Count > 0 ? $", found {DenseLayer.Describe(found)}" : "")}.");
}
