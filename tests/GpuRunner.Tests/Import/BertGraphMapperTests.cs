using System.Text.RegularExpressions;
using BertPlatform.GpuRunner.Import;

namespace BertPlatform.GpuRunner.Tests.Import;

public sealed class BertGraphMapperTests
{
    [Fact]
    public void Reads_the_MiniLM_sizes_from_the_graph()
    {
        var sizes = MiniLmModel.Mapping.Sizes;

        Assert.Equal(new BertGraphSizes(
            VocabSize: 30522, HiddenSize: 384, NumHiddenLayers: 6, NumAttentionHeads: 12, IntermediateSize: 1536,
            MaxPositionEmbeddings: 512, TypeVocabSize: 2, LayerNormEps: 1e-12, HasPooler: true), sizes);
    }

    [Fact]
    public void Maps_every_float_weight_exactly_once_to_a_BertModel_parameter()
    {
        var mapping = MiniLmModel.Mapping;
        var weights = MiniLmModel.Graph.Initializers.Values.Where(t => t.IsFloat && t.ElementCount > 1).Select(t => t.Name).ToHashSet();

        Assert.Equal(MiniLmModel.BertModelParameterNames(6), mapping.Tensors.Select(t => t.Name));
        Assert.Equal(weights.Count, mapping.Tensors.Count);
        Assert.True(weights.SetEquals(mapping.Tensors.Select(t => t.Source.Name)));
    }

    [Fact]
    public void Tensors_have_the_Hugging_Face_shapes()
    {
        foreach (var tensor in MiniLmModel.Mapping.Tensors)
        {
            long[] expected = tensor.Name switch
            {
                "embeddings.word_embeddings.weight" => [30522, 384],
                "embeddings.position_embeddings.weight" => [512, 384],
                "embeddings.token_type_embeddings.weight" => [2, 384],
                _ when tensor.Name.EndsWith("intermediate.dense.weight") => [1536, 384],
                _ when tensor.Name.EndsWith("intermediate.dense.bias") => [1536],
                _ when tensor.Name.EndsWith("output.dense.weight") && !tensor.Name.Contains("attention") => [384, 1536],
                _ when tensor.Name.EndsWith("LayerNorm.weight") || tensor.Name.EndsWith(".bias") => [384],
                _ => [384, 384],
            };
            Assert.True(expected.SequenceEqual(tensor.Shape), $"{tensor.Name}: [{string.Join(",", tensor.Shape)}]");
        }
    }

    [Fact]
    public void Roles_agree_with_the_names_the_exporter_kept()
    {
        // The export names biases, LayerNorms and embeddings after the PyTorch module but calls the MatMul weights
        // by number; the mapper ignores names, so where a name survived it must land on the same parameter.
        var tensors = MiniLmModel.Mapping.Tensors;
        var anonymous = tensors.Where(t => Regex.IsMatch(t.Source.Name, @"^\d+$")).ToList();
        var named = tensors.Except(anonymous).ToList();

        Assert.All(named, t => Assert.Equal(t.Name, t.Source.Name));
        Assert.Equal(67, named.Count);   // 5 embeddings + 6 layers x (6 biases + 4 LayerNorm) + 2 pooler
        Assert.Equal(36, anonymous.Count); // 6 layers x 6 MatMul weights
        Assert.All(anonymous, t => Assert.True(t.Transpose, t.Name));
    }

    [Fact]
    public void MatMul_weights_are_stored_out_by_in()
    {
        var intermediate = MiniLmModel.Mapping.Tensors.Single(t => t.Name == "encoder.layer.0.intermediate.dense.weight");
        var onnx = intermediate.Source.ToFloats();    // [in 384, out 1536]
        var stored = intermediate.ToFloats();         // [out 1536, in 384]

        foreach (var (o, i) in new[] { (0, 0), (1535, 0), (0, 383), (700, 123), (1535, 383) })
            Assert.Equal(onnx[i * 1536 + o], stored[o * 384 + i]);
    }

    [Fact]
    public void Attention_scores_not_scaled_by_one_over_sqrt_head_size_are_refused()
    {
        var graph = new OnnxGraphIndex(MiniLmModel.Graph);
        var softmax = MiniLmModel.Graph.Nodes.First(n => n.OpType == "Softmax");
        var maskAdd = graph.Producer(softmax.Inputs[0])!;
        var scaling = graph.Producer(maskAdd.Inputs[0])!;
        Assert.Equal("Div", scaling.OpType);
        var model = OnnxProtoEditor.SetOpType(MiniLmModel.Bytes, scaling.Outputs[0], "Mul");

        var error = Assert.Throws<OnnxImportException>(() => BertGraphMapper.Map(OnnxModelReader.Read(model)));

        Assert.Contains("layer 0 attention: the scores are scaled by 5.65685", error.Message);
        Assert.Contains("1/sqrt(32)", error.Message);
    }

    [Fact]
    public void A_graph_without_pooler_maps_without_pooler_tensors()
    {
        var graph = new OnnxGraphIndex(MiniLmModel.Graph);
        var tanh = MiniLmModel.Graph.Nodes.Single(n => n.OpType == "Tanh");
        var dense = graph.Producer(tanh.Inputs[0])!;
        var firstToken = graph.Producer(dense.Inputs[0])!;
        var model = OnnxProtoEditor.ReplaceNodes(MiniLmModel.Bytes, new HashSet<string> { tanh.Outputs[0], dense.Outputs[0], firstToken.Outputs[0] }, []);
        model = OnnxProtoEditor.DropInitializer(OnnxProtoEditor.DropInitializer(model, dense.Inputs[1]), dense.Inputs[2]);

        var mapping = BertGraphMapper.Map(OnnxModelReader.Read(model));

        Assert.False(mapping.Sizes.HasPooler);
        Assert.Equal(MiniLmModel.BertModelParameterNames(6).SkipLast(2), mapping.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void Fused_LayerNormalization_and_Gelu_ops_map_like_their_decompositions()
    {
        var fused = OnnxModelReader.Read(FusedVariants.FuseLayerNormsAndGelus(MiniLmModel.Bytes));
        Assert.Equal(13, fused.Nodes.Count(n => n.OpType == "LayerNormalization"));
        Assert.Equal(6, fused.Nodes.Count(n => n.OpType == "Gelu"));
        Assert.DoesNotContain(fused.Nodes, n => n.OpType is "Erf" or "Sqrt");

        var mapping = BertGraphMapper.Map(fused);

        Assert.Equal(MiniLmModel.Mapping.Sizes, mapping.Sizes);
        Assert.Equal(
            MiniLmModel.Mapping.Tensors.Select(t => (t.Name, t.Source.Name, t.Transpose)),
            mapping.Tensors.Select(t => (t.Name, t.Source.Name, t.Transpose)));
    }
}
