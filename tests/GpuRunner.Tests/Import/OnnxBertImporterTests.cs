using System.Text.Json;
using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Import;

namespace BertPlatform.GpuRunner.Tests.Import;

public sealed class OnnxBertImporterTests : IDisposable
{
    private readonly string parent = Directory.CreateTempSubdirectory("onnx-import-").FullName;

    private string Output => Path.Combine(parent, "all-MiniLM-L6-v2");

    public void Dispose() => Directory.Delete(parent, recursive: true);

    [Fact]
    public void Writes_a_Hugging_Face_BertModel_directory()
    {
        var mapping = MiniLmPackage.Import(Output);

        Assert.Equal(["config.json", "model.safetensors", "tokenizer_config.json", "vocab.txt"],
            Directory.GetFiles(Output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal([Output], Directory.GetFileSystemEntries(parent));

        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "config.json")));
        var c = config.RootElement;
        Assert.Equal("BertModel", c.GetProperty("architectures")[0].GetString());
        Assert.Equal(30522, c.GetProperty("vocab_size").GetInt32());
        Assert.Equal(384, c.GetProperty("hidden_size").GetInt32());
        Assert.Equal(6, c.GetProperty("num_hidden_layers").GetInt32());
        Assert.Equal(12, c.GetProperty("num_attention_heads").GetInt32());
        Assert.Equal(1536, c.GetProperty("intermediate_size").GetInt32());
        Assert.Equal(512, c.GetProperty("max_position_embeddings").GetInt32());
        Assert.Equal(2, c.GetProperty("type_vocab_size").GetInt32());
        Assert.Equal("gelu", c.GetProperty("hidden_act").GetString());
        Assert.Equal(1e-12, c.GetProperty("layer_norm_eps").GetDouble());

        using var tokenizer = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "tokenizer_config.json")));
        Assert.True(tokenizer.RootElement.GetProperty("do_lower_case").GetBoolean());
        Assert.True(tokenizer.RootElement.GetProperty("strip_accents").GetBoolean());
        Assert.Equal(512, tokenizer.RootElement.GetProperty("model_max_length").GetInt32());

        var vocabulary = File.ReadAllText(Path.Combine(Output, "vocab.txt"));
        Assert.DoesNotContain('\r', vocabulary);
        var tokens = vocabulary.Split('\n')[..^1];
        Assert.Equal(30522, tokens.Length);
        Assert.Equal(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"], new[] { 0, 100, 101, 102, 103 }.Select(i => tokens[i]));

        var weights = SafetensorsFile.Read(Path.Combine(Output, "model.safetensors"));
        try
        {
            Assert.Equal(mapping.Tensors.Select(t => t.Name).Order(), weights.Keys.Order());
            foreach (var tensor in mapping.Tensors)
            {
                var stored = weights[tensor.Name];
                Assert.Equal(tensor.Shape, stored.shape);
                Assert.True(tensor.ToFloats().AsSpan().SequenceEqual(stored.data<float>().ToArray()), tensor.Name);
            }
        }
        finally
        {
            foreach (var stored in weights.Values) stored.Dispose();
        }
    }

    [Fact]
    public void A_missing_LayerNorm_weight_is_named_and_nothing_is_written()
    {
        var model = OnnxProtoEditor.DropInitializer(MiniLmModel.Bytes, "encoder.layer.2.attention.output.LayerNorm.weight");

        var error = AssertImportFails(model);

        Assert.Contains("layer 2 attention output LayerNorm", error);
        Assert.Contains("'encoder.layer.2.attention.output.LayerNorm.weight'", error);
    }

    [Fact]
    public void A_missing_anonymous_MatMul_weight_is_named()
    {
        var keyWeight = MiniLmModel.Mapping.Tensors.Single(t => t.Name == "encoder.layer.1.attention.self.key.weight").Source.Name;
        var model = OnnxProtoEditor.DropInitializer(MiniLmModel.Bytes, keyWeight);

        var error = AssertImportFails(model);

        Assert.Contains($"'{keyWeight}'", error);
        Assert.Contains("expected a 2-D float weight initializer", error);
    }

    [Fact]
    public void An_unused_float_initializer_is_reported_by_name()
    {
        var model = OnnxProtoEditor.AddFloatInitializer(MiniLmModel.Bytes, "adapter.down.weight", [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]);

        var error = AssertImportFails(model);

        Assert.Contains("'adapter.down.weight' [4,2]", error);
        Assert.Contains("no role", error);
    }

    [Fact]
    public void A_tanh_approximated_GELU_is_refused()
    {
        var erf = MiniLmModel.Graph.Nodes.Where(n => n.OpType == "Erf").ElementAt(3);
        var model = OnnxProtoEditor.SetOpType(MiniLmModel.Bytes, erf.Outputs[0], "Tanh");

        var error = AssertImportFails(model);

        Assert.Contains("layer 3 intermediate activation", error);
        Assert.Contains("tanh approximation", error);
    }

    [Fact]
    public void Attention_without_a_softmax_is_unmappable()
    {
        var softmax = MiniLmModel.Graph.Nodes.Where(n => n.OpType == "Softmax").ElementAt(4);
        var model = OnnxProtoEditor.SetOpType(MiniLmModel.Bytes, softmax.Outputs[0], "LogSoftmax");

        var error = AssertImportFails(model);

        Assert.Contains("layer 4 attention: cannot tell query, key and value apart", error);
    }

    [Fact]
    public void A_vocabulary_larger_than_the_embedding_table_is_refused()
    {
        var vocabulary = MiniLmPackage.ReadVocabulary().Append("[extra]").ToList();

        var error = Assert.Throws<OnnxImportException>(() => OnnxBertImporter.Import(MiniLmModel.Graph, vocabulary, Output, MiniLmPackage.TokenizerSettings));

        Assert.Contains("30523 tokens", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(parent));
    }

    [Fact]
    public void An_existing_non_empty_output_directory_is_left_alone()
    {
        Directory.CreateDirectory(Output);
        File.WriteAllText(Path.Combine(Output, "keep.txt"), "mine");

        Assert.Throws<IOException>(() => OnnxBertImporter.Import(MiniLmModel.Graph, MiniLmPackage.ReadVocabulary(), Output, MiniLmPackage.TokenizerSettings));

        Assert.Equal([Path.Combine(Output, "keep.txt")], Directory.GetFileSystemEntries(Output));
        Assert.Equal([Output], Directory.GetFileSystemEntries(parent));
    }

    [Fact]
    public void The_import_onnx_verb_reads_files_and_reports_failures_with_exit_code_1()
    {
        var onnx = Path.Combine(parent, "broken.onnx");
        File.WriteAllBytes(onnx, OnnxProtoEditor.DropInitializer(MiniLmModel.Bytes, "pooler.dense.bias"));
        var vocab = Path.Combine(parent, "vocab.txt");
        File.WriteAllLines(vocab, MiniLmPackage.ReadVocabulary());

        var exitCode = Cli.CommandLine.Run(["import-onnx", "--onnx", onnx, "--vocab", vocab, "--output", Output, "--lowercase"]);

        Assert.Equal(1, exitCode);
        Assert.False(Directory.Exists(Output));
    }

    [Fact]
    public void The_import_onnx_verb_imports_files_and_rejects_missing_options()
    {
        var onnx = Path.Combine(parent, "model.onnx");
        File.WriteAllBytes(onnx, MiniLmModel.Bytes);
        var vocab = Path.Combine(parent, "vocab.txt");
        File.WriteAllLines(vocab, MiniLmPackage.ReadVocabulary());

        Assert.Equal(64, Cli.CommandLine.Run(["import-onnx", "--onnx", onnx, "--vocab", vocab]));
        Assert.Equal(0, Cli.CommandLine.Run(["import-onnx", "--onnx", onnx, "--vocab", vocab, "--output", Output]));

        Assert.Equal(30522, File.ReadAllLines(Path.Combine(Output, "vocab.txt")).Length);
        using var tokenizer = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "tokenizer_config.json")));
        Assert.False(tokenizer.RootElement.GetProperty("do_lower_case").GetBoolean()); // no --lowercase given
    }

    /// <summary>Imports <paramref name="model"/> expecting a refusal; checks no output (or staging) directory remains.</summary>
    private string AssertImportFails(byte[] model)
    {
        var graph = OnnxModelReader.Read(model);
        var error = Assert.Throws<OnnxImportException>(() => OnnxBertImporter.Import(graph, MiniLmPackage.ReadVocabulary(), Output, MiniLmPackage.TokenizerSettings));
        Assert.Empty(Directory.GetFileSystemEntries(parent));
        return error.Message;
    }
}
