namespace BertPlatform.GpuRunner.Import;

/// <summary>
/// Maps one post-LayerNorm encoder layer, starting from the hidden state its query/key/value projections read:
/// <c>h1 = LayerNorm(h + dense(attention(h)))</c>, <c>h2 = LayerNorm(h1 + dense(gelu(dense(h1))))</c>.
/// Query and key are the two operands of the product that feeds the softmax (query on the left, key transposed on
/// the right); value is the right operand of the product that the softmax probabilities feed.
/// </summary>
internal sealed class EncoderLayerMapper(
    OnnxGraphIndex graph, InitializerLedger ledger, List<(string Role, double Value)> epsilons, int index, long hidden)
{
    private const int MaxPathLength = 8;

    private string Prefix => $"encoder.layer.{index}";

    private string Role(string part) => $"layer {index} {part}";

    public (string Output, int Heads, long Intermediate) Map(string input, List<DenseLayer> projections)
    {
        if (projections.Count != 3)
            throw new OnnxImportException(
                $"{Role("attention")}: the hidden state '{input}' feeds {projections.Count} dense layers ({DenseLayer.Describe(projections.Select(p => p.Node).ToList())}); expected query, key and value.");

        var paths = projections.Select(p => FollowToProduct(p)).ToList();
        var query = paths.FirstOrDefault(p => p.Operand == 0 && SoftmaxAfter(p.Product).Softmax != null);
        var key = paths.FirstOrDefault(p => p.Operand == 1 && SoftmaxAfter(p.Product).Softmax != null);
        var value = paths.FirstOrDefault(p => p.Operand == 1 && SoftmaxBefore(p.Product) != null);
        if (query == null || key == null || value == null || SoftmaxAfter(query.Product).Softmax != SoftmaxBefore(value.Product))
            throw new OnnxImportException(
                $"{Role("attention")}: cannot tell query, key and value apart; the projections reach "
                + string.Join(", ", paths.Select(p => $"'{p.Dense.Weight.Name}' -> operand {p.Operand} of {p.Product.Describe()}"))
                + "; expected Q and K to meet in the product before Softmax and V to be multiplied by the probabilities.");

        query.Dense.AssignTo(ledger, Prefix + ".attention.self.query", hidden, hidden);
        key.Dense.AssignTo(ledger, Prefix + ".attention.self.key", hidden, hidden);
        value.Dense.AssignTo(ledger, Prefix + ".attention.self.value", hidden, hidden);
        var heads = HeadCount(query);
        CheckScoreScale(query.Scale * key.Scale * SoftmaxAfter(query.Product).Scale, hidden / heads);

        var attentionOutput = FollowToDense(value.Product.Outputs[0], Role("attention output"));
        attentionOutput.AssignTo(ledger, Prefix + ".attention.output.dense", hidden, hidden);
        var residual = ResidualAdd(attentionOutput.Output, input, Role("attention residual"));
        var attended = BertGraphMapper.AssignLayerNorm(
            graph, ledger, epsilons, residual, Prefix + ".attention.output.LayerNorm", Role("attention output LayerNorm"), hidden);

        if (DenseLayer.ConsumersOf(graph, attended) is not [var intermediate])
            throw new OnnxImportException(
                $"{Role("intermediate")}: expected one dense layer reading the attention output '{attended}', found {DenseLayer.Describe(graph.DataConsumers(attended))}.");
        var intermediateSize = intermediate.OutFeatures;
        intermediate.AssignTo(ledger, Prefix + ".intermediate.dense", intermediateSize, hidden);
        var output = GeluActivation.FollowToOutputDense(graph, intermediate.Output, Role("intermediate activation"));
        output.AssignTo(ledger, Prefix + ".output.dense", hidden, intermediateSize);
        var outputResidual = ResidualAdd(output.Output, attended, Role("output residual"));
        var layerOutput = BertGraphMapper.AssignLayerNorm(
            graph, ledger, epsilons, outputResidual, Prefix + ".output.LayerNorm", Role("output LayerNorm"), hidden);
        return (layerOutput, heads, intermediateSize);
    }

    /// <param name="Scale">The constant factor applied on the way (exporters put 1/sqrt(head_size) here or after the product).</param>
    private sealed record ProjectionPath(DenseLayer Dense, OnnxNode Product, int Operand, OnnxNode? Reshape, double Scale);

    /// <summary>Follows a projection through the head split (Reshape, Transpose, scaling) to the attention product
    /// it is an operand of: a MatMul of two computed values.</summary>
    private ProjectionPath FollowToProduct(DenseLayer dense)
    {
        var value = dense.Output;
        OnnxNode? reshape = null;
        var scale = 1.0;
        for (var step = 0; step < MaxPathLength; step++)
        {
            var consumers = graph.DataConsumers(value);
            if (consumers is not [var node])
                throw new OnnxImportException(
                    $"{Role("attention")}: the projection with weight '{dense.Weight.Name}' branches at '{value}' into {DenseLayer.Describe(consumers)}; expected one path to the attention product.");
            if (node.OpType == "MatMul" && !DenseLayer.IsDense(graph, node)) return new ProjectionPath(dense, node, node.Inputs.ToList().IndexOf(value), reshape, scale);
            if (node.OpType is not ("Reshape" or "Transpose" or "Div" or "Mul" or "Cast" or "Identity"))
                throw new OnnxImportException(
                    $"{Role("attention")}: the projection with weight '{dense.Weight.Name}' reaches {node.Describe()}; expected Reshape/Transpose/scaling on the way to the attention product.");
            if (node.OpType == "Reshape") reshape ??= node;
            scale *= ConstantFactor(node, value);
            value = node.Outputs[0];
        }
        throw new OnnxImportException($"{Role("attention")}: the projection with weight '{dense.Weight.Name}' reaches no attention product within {MaxPathLength} nodes.");
    }

    /// <summary>The Softmax the scores of <paramref name="product"/> flow into (through scaling and the mask add),
    /// and the constant factor applied to the scores on the way.</summary>
    private (OnnxNode? Softmax, double Scale) SoftmaxAfter(OnnxNode product)
    {
        var value = product.Outputs[0];
        var scale = 1.0;
        for (var step = 0; step < MaxPathLength; step++)
        {
            if (graph.DataConsumers(value) is not [var node]) return (null, scale);
            if (node.OpType == "Softmax") return (node, scale);
            if (node.OpType is not ("Div" or "Mul" or "Add" or "Sub" or "Where" or "Cast")) return (null, scale);
            scale *= ConstantFactor(node, value);
            value = node.Outputs[0];
        }
        return (null, scale);
    }

    /// <summary>The factor a Mul or Div by a constant applies to <paramref name="value"/>; 1 for any other node.</summary>
    private double ConstantFactor(OnnxNode node, string value)
    {
        var other = node.Inputs.FirstOrDefault(i => i != value);
        if (other == null || graph.Constant(other) is not { ElementCount: 1 } constant) return 1;
        return node.OpType switch
        {
            "Mul" => constant.ToScalar(),
            "Div" when node.Inputs[0] == value => 1 / constant.ToScalar(),
            _ => 1,
        };
    }

    /// <summary>BERT scales attention scores by 1/sqrt(head_size); a graph that scales otherwise computes another
    /// model, and disagreeing here also means the head count read from the reshape is wrong.</summary>
    private void CheckScoreScale(double scale, long headSize)
    {
        var expected = 1 / Math.Sqrt(headSize);
        if (Math.Abs(scale / expected - 1) > 1e-4)
            throw new OnnxImportException(
                $"{Role("attention")}: the scores are scaled by {scale:G6}; BERT with head size {headSize} scales them by 1/sqrt({headSize}) = {expected:G6}.");
    }

    /// <summary>The Softmax whose probabilities are the left operand of <paramref name="product"/>.</summary>
    private OnnxNode? SoftmaxBefore(OnnxNode product)
    {
        var node = graph.Producer(product.Inputs[0]);
        while (node is { OpType: "Cast" or "Dropout" or "Identity" }) node = graph.Producer(node.Inputs[0]);
        return node is { OpType: "Softmax" } ? node : null;
    }

    /// <summary>Heads from the shape the query is reshaped to, <c>[batch, tokens, heads, head_size]</c>; exporters
    /// build it with a Concat of the dynamic batch/length and the constant head numbers.</summary>
    private int HeadCount(ProjectionPath query)
    {
        if (query.Reshape is not { } reshape)
            throw new OnnxImportException($"{Role("attention")}: the query is never reshaped into heads, so the head count is unknown.");
        var shape = ConstantShape(reshape.Inputs[1]);
        if (shape is not { Count: 4 })
            throw new OnnxImportException(
                $"{Role("attention")}: the query {reshape.Describe()} has shape {graph.Origin(reshape.Inputs[1])} with no readable [batch, tokens, heads, head_size] constants.");
        long? heads = shape[2] > 0 ? shape[2] : null, headSize = shape[3] > 0 ? shape[3] : null;
        heads ??= headSize is { } size && hidden % size == 0 ? hidden / size : null;
        if (heads is not { } count || hidden % count != 0 || (headSize is { } h && h * count != hidden))
            throw new OnnxImportException(
                $"{Role("attention")}: {reshape.Describe()} splits hidden size {hidden} into [{string.Join(",", shape.Select(d => d?.ToString() ?? "?"))}]; expected heads x head_size = {hidden}.");
        return (int)count;
    }

    /// <summary>The elements of a shape value that are constants (null where computed at run time).</summary>
    private List<long?>? ConstantShape(string value)
    {
        if (graph.Constant(value) is { } constant) return constant.ToInt64s().Select(v => (long?)v).ToList();
        if (graph.Producer(value) is not { OpType: "Concat" } concat) return null;
        var shape = new List<long?>();
        foreach (var part in concat.Inputs)
        {
            var source = graph.Producer(part) is { OpType: "Unsqueeze" } unsqueeze ? unsqueeze.Inputs[0] : part;
            if (graph.Constant(source) is { } known) shape.AddRange(known.ToInt64s().Select(v => (long?)v));
            else shape.Add(null);
        }
        return shape;
    }

    private DenseLayer FollowToDense(string value, string role)
    {
        for (var step = 0; step < MaxPathLength; step++)
        {
            var consumers = graph.DataConsumers(value);
            if (consumers is not [var node])
                throw new OnnxImportException($"{role}: '{value}' feeds {DenseLayer.Describe(consumers)}; expected one path to the output dense layer.");
            if (DenseLayer.IsDense(graph, node) || node.OpType is "MatMul" or "Gemm") return DenseLayer.Match(graph, node);
            if (node.OpType is not ("Transpose" or "Reshape" or "Cast" or "Identity"))
                throw new OnnxImportException($"{role}: '{value}' reaches {node.Describe()}; expected the heads merged by Transpose/Reshape into a dense layer.");
            value = node.Outputs[0];
        }
        throw new OnnxImportException($"{role}: no dense layer within {MaxPathLength} nodes of '{value}'.");
    }

    /// <summary>The Add of a sublayer's output and its input (the residual connection).</summary>
    private string ResidualAdd(string sublayerOutput, string residual, string role)
    {
        var consumers = graph.DataConsumers(sublayerOutput);
        return consumers is [{ OpType: "Add" } add] && add.Inputs.Contains(residual)
            ? add.Outputs[0]
            : throw new OnnxImportException(
                $"{role}: expected '{sublayerOutput}' to be added to the residual '{residual}', found {DenseLayer.Describe(consumers)}.");
    }
}
