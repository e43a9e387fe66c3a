namespace BertPlatform.GpuRunner.Import;

/// <summary>
/// Assigns initializers to Hugging Face names and proves the assignment is a bijection over the graph's weights:
/// no initializer serves two roles, and none is left over (a leftover means the graph computes something the
/// mapper did not understand, so importing it would silently drop part of the model).
/// </summary>
internal sealed class InitializerLedger(OnnxGraphIndex graph)
{
    private readonly Dictionary<string, string> roleOf = new(StringComparer.Ordinal);
    private readonly List<MappedTensor> tensors = [];

    public IReadOnlyList<MappedTensor> Tensors => tensors;

    /// <param name="transpose">The initializer is a MatMul right operand <c>[in, out]</c> to be stored as <c>[out, in]</c>.</param>
    /// <param name="expectedShape">The Hugging Face shape the tensor must have once stored.</param>
    public void Assign(string name, OnnxTensor tensor, bool transpose, params long[] expectedShape)
    {
        if (roleOf.TryGetValue(tensor.Name, out var earlier))
            throw new OnnxImportException($"Initializer '{tensor.Name}' is used both as '{earlier}' and as '{name}'; each weight must have one role.");
        var mapped = new MappedTensor(name, tensor, transpose && tensor.Dims.Count == 2);
        if (!mapped.Shape.SequenceEqual(expectedShape))
            throw new OnnxImportException(
                $"Initializer '{tensor.Name}' mapped to '{name}' has shape [{string.Join(",", mapped.Shape)}]{(mapped.Transpose ? " after transposing" : "")}, expected [{string.Join(",", expectedShape)}].");
        roleOf[tensor.Name] = name;
        tensors.Add(mapped);
    }

    /// <summary>Throws naming every float weight no role claimed.</summary>
    public void EnsureEveryWeightIsMapped()
    {
        var unmapped = graph.Graph.Initializers.Values
            .Where(t => graph.Weight(t.Name) != null && !roleOf.ContainsKey(t.Name))
            .Select(t => $"'{t.Name}' {t.ShapeText}")
            .ToList();
        if (unmapped.Count > 0)
            throw new OnnxImportException(
                $"{unmapped.Count} float initializer(s) have no role in the BERT graph: {string.Join(", ", unmapped)}.");
    }
}
