using BertPlatform.GpuRunner.Import;

namespace BertPlatform.GpuRunner.Tests.Import;

/// <summary>Rewrites the decomposed LayerNorms and erf GELUs of an exported BERT into the fused ops newer
/// exporters and optimizers emit (ONNX <c>LayerNormalization</c>, com.microsoft <c>Gelu</c>).</summary>
internal static class FusedVariants
{
    public static byte[] FuseLayerNormsAndGelus(byte[] model)
    {
        var graph = new OnnxGraphIndex(OnnxModelReader.Read(model));
        var removed = new HashSet<string>();
        var added = new List<byte[]>();
        OnnxNode Producer(string value) => graph.Producer(value)!;
        OnnxNode Next(OnnxNode node) => graph.DataConsumers(node.Outputs[0]).Single();

        foreach (var sqrt in graph.Graph.Nodes.Where(n => n.OpType == "Sqrt").ToList())
        {
            // x -> ReduceMean, Sub -> Pow -> ReduceMean -> Add(eps) -> Sqrt; Div(Sub, Sqrt) -> Mul(gamma) -> Add(beta)
            var addEpsilon = Producer(sqrt.Inputs[0]);
            var variance = Producer(addEpsilon.Inputs[0]);
            var square = Producer(variance.Inputs[0]);
            var center = Producer(square.Inputs[0]);
            var mean = Producer(center.Inputs[1]);
            var divide = Next(sqrt);
            var scale = Next(divide);
            var shift = Next(scale);
            var epsilon = (float)graph.Constant(addEpsilon.Inputs[1])!.ToScalar();
            foreach (var node in new[] { mean, center, square, variance, addEpsilon, sqrt, divide, scale, shift }) removed.Add(node.Outputs[0]);
            added.Add(OnnxProtoEditor.Node("LayerNormalization", "", [center.Inputs[0], scale.Inputs[1], shift.Inputs[1]], [shift.Outputs[0]],
                new Dictionary<string, float> { ["epsilon"] = epsilon }));
        }
        foreach (var erf in graph.Graph.Nodes.Where(n => n.OpType == "Erf").ToList())
        {
            // Div(u, sqrt 2) -> Erf -> Add(1) -> Mul(u, .) -> Mul(0.5)
            var divide = Producer(erf.Inputs[0]);
            var plusOne = Next(erf);
            var times = Next(plusOne);
            var half = Next(times);
            foreach (var node in new[] { divide, erf, plusOne, times, half }) removed.Add(node.Outputs[0]);
            added.Add(OnnxProtoEditor.Node("Gelu", "com.microsoft", [divide.Inputs[0]], [half.Outputs[0]]));
        }
        return OnnxProtoEditor.ReplaceNodes(model, removed, added);
    }
}
