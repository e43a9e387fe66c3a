using BertPlatform.GpuRunner.Modeling;

namespace BertPlatform.GpuRunner.Export;

/// <summary>
/// Exports a task model to ONNX (opset 17) with the inputs and outputs transformers/Optimum use:
/// <c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c> (int64, dynamic <c>batch_size</c> and
/// <c>sequence_length</c>; multiple choice adds <c>num_choices</c>), and per head <c>logits</c>,
/// <c>start_logits</c>/<c>end_logits</c>, or <c>last_hidden_state</c>/<c>pooler_output</c> for the bare encoder.
/// </summary>
public static class BertOnnxExporter
{
    public const int Opset = 17;
    public const string FileName = "model.onnx";
    /// <summary>The pseudo-architecture that exports only the encoder, whatever head the model has.</summary>
    public const string EncoderOnly = "BertModel";

    public static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];

    /// <param name="architecture">The head to export: the model's own (default), or <see cref="EncoderOnly"/>.</param>
    public static void Export(BertTaskModel model, string path, string? architecture = null)
    {
        var graph = Build(model, architecture ?? model.Architecture);
        // Written beside the target and moved in place, so a failed export leaves no truncated model.onnx.
        var staging = path + ".partial";
        try
        {
            graph.Save(staging, architecture ?? model.Architecture, Opset);
            File.Move(staging, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(staging)) File.Delete(staging);
        }
    }

    public static OnnxGraphBuilder Build(BertTaskModel model, string architecture)
    {
        var weights = new ModelWeights(model);
        var config = model.Config;
        var graph = new OnnxGraphBuilder();
        var multipleChoice = architecture == nameof(BertForMultipleChoice);
        object[] shape = multipleChoice ? ["batch_size", "num_choices", "sequence_length"] : ["batch_size", "sequence_length"];
        var inputs = InputNames.Select(name => graph.Input(name, OnnxGraphBuilder.Int64Type, shape)).ToArray();
        var (ids, mask, types) = (inputs[0], inputs[1], inputs[2]);
        if (multipleChoice)
        {
            // [B,C,T] -> [B*C,T]: each (context, ending) pair is its own row, as BertForMultipleChoice does.
            var rows = graph.Node("Concat", [graph.Int64s([-1]), graph.Node("Shape", [ids], null, OnnxAttributeValue.Of("start", 2L))], null,
                OnnxAttributeValue.Of("axis", 0L));
            (ids, mask, types) = (graph.Node("Reshape", [ids, rows]), graph.Node("Reshape", [mask, rows]), graph.Node("Reshape", [types, rows]));
        }
        var hasPooler = model.Encoder.pooler != null;
        switch (architecture)
        {
            case EncoderOnly:
                BertEncoderGraph.Build(graph, weights, config, "bert.", ids, types, mask, hasPooler, "last_hidden_state", hasPooler ? "pooler_output" : null);
                graph.Output("last_hidden_state", OnnxGraphBuilder.FloatType, "batch_size", "sequence_length", (long)config.HiddenSize);
                if (hasPooler) graph.Output("pooler_output", OnnxGraphBuilder.FloatType, "batch_size", (long)config.HiddenSize);
                break;
            case nameof(BertForSequenceClassification):
            {
                var (_, pooled) = BertEncoderGraph.Build(graph, weights, config, "bert.", ids, types, mask, withPooler: true);
                weights.Dense(graph, pooled!, "classifier", "logits");
                graph.Output("logits", OnnxGraphBuilder.FloatType, "batch_size", (long)config.NumLabels);
                break;
            }
            case nameof(BertForMultipleChoice):
            {
                var (_, pooled) = BertEncoderGraph.Build(graph, weights, config, "bert.", ids, types, mask, withPooler: true);
                var scores = weights.Dense(graph, pooled!, "classifier"); // [B*C,1]
                var choices = graph.Node("Concat", [graph.Int64s([-1]),
                    graph.Node("Shape", [inputs[0]], null, OnnxAttributeValue.Of("start", 1L), OnnxAttributeValue.Of("end", 2L))], null,
                    OnnxAttributeValue.Of("axis", 0L));
                graph.Node("Reshape", [scores, choices], "logits"); // [B,C]
                graph.Output("logits", OnnxGraphBuilder.FloatType, "batch_size", "num_choices");
                break;
            }
            case nameof(BertForTokenClassification):
                weights.Dense(graph, HeadInput(graph, weights, config, ids, types, mask), "classifier", "logits");
                graph.Output("logits", OnnxGraphBuilder.FloatType, "batch_size", "sequence_length", (long)config.NumLabels);
                break;
            case nameof(BertForQuestionAnswering):
            {
                var both = weights.Dense(graph, HeadInput(graph, weights, config, ids, types, mask), "qa_outputs"); // [B,T,2]
                graph.Node("Gather", [both, graph.Int64s([0], scalar: true)], "start_logits", OnnxAttributeValue.Of("axis", 2L));
                graph.Node("Gather", [both, graph.Int64s([1], scalar: true)], "end_logits", OnnxAttributeValue.Of("axis", 2L));
                graph.Output("start_logits", OnnxGraphBuilder.FloatType, "batch_size", "sequence_length");
                graph.Output("end_logits", OnnxGraphBuilder.FloatType, "batch_size", "sequence_length");
                break;
            }
            case nameof(BertForMaskedLM) or nameof(BertForPreTraining):
                MaskedLmHead(graph, weights, config, HeadInput(graph, weights, config, ids, types, mask));
                graph.Output("logits", OnnxGraphBuilder.FloatType, "batch_size", "sequence_length", (long)config.VocabSize);
                break;
            default:
                throw new ArgumentException(
                    $"ONNX export does not support architecture '{architecture}'; expected {EncoderOnly} or one of {string.Join(", ", BertModels.Architectures)}.",
                    nameof(architecture));
        }
        return graph;
    }

    /// <summary>
    /// The last hidden state as a per-token head reads it, through an Identity (dropout at inference). The pooler
    /// is left out: these heads never read it. The Identity marks where the encoder ends, so the importer's walk
    /// along the residual stream stops there instead of taking the head's dense layer for another encoder layer.
    /// </summary>
    private static string HeadInput(OnnxGraphBuilder graph, ModelWeights weights, BertConfig config, string ids, string types, string mask)
    {
        var (hidden, _) = BertEncoderGraph.Build(graph, weights, config, "bert.", ids, types, mask, withPooler: false);
        return graph.Node("Identity", [hidden]);
    }

    /// <summary>transform (dense, GELU, LayerNorm), then the decoder tied to the word embeddings plus its own bias.</summary>
    private static void MaskedLmHead(OnnxGraphBuilder graph, ModelWeights weights, BertConfig config, string hidden)
    {
        const string prefix = "cls.predictions";
        var transformed = weights.LayerNorm(graph,
            BertEncoderGraph.Gelu(graph, weights.Dense(graph, hidden, prefix + ".transform.dense")),
            prefix + ".transform.LayerNorm", config.LayerNormEps);
        // The embedding initializer is reused, not copied: the decoder weight is the same matrix, transposed to [H,V].
        var decoder = graph.Node("Transpose", ["bert.embeddings.word_embeddings.weight"], null, OnnxAttributeValue.Of("perm", new long[] { 1, 0 }));
        graph.Node("Add", [graph.Node("MatMul", [transformed, decoder]), weights.Vector(graph, prefix + ".bias")], "logits");
    }
}
