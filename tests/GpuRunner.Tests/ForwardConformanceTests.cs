using BertPlatform.GpuRunner.Modeling;
using static TorchSharp.torch;
using static BertPlatform.GpuRunner.Tests.TinyBert;

namespace BertPlatform.GpuRunner.Tests;

/// <summary>Every head's outputs against transformers 4.31 on the four tiny-bert batches (abs 1e-5).</summary>
public sealed class ForwardConformanceTests
{
    public static TheoryData<string> Batches => new(BatchNames);

    [Fact]
    public void AttentionProbabilitiesMatchTransformersOutputAttentions()
    {
        using var scope = NewDisposeScope();
        using var model = (BertForPreTraining)LoadEval(TinyBert.Root);
        var batch = Batch("b0_single", "pretrain");
        using var noGrad = no_grad();

        var hidden = model.bert.embeddings.forward(batch.InputIds, batch.TokenTypeIds);
        var mask = BertModel.ExtendedAttentionMask(batch.AttentionMask!, hidden.dtype);
        for (var i = 0; i < model.bert.encoder.layer.Count; i++)
        {
            AssertClose($"b0_single.attentions.{i}", model.bert.encoder.layer[i].attention.self.AttentionProbabilities(hidden, mask));
            hidden = model.bert.encoder.layer[i].forward(hidden, mask);
        }
    }

    [Theory]
    [MemberData(nameof(Batches))]
    public void PreTrainingMatchesTransformersLayerByLayer(string batchName)
    {
        using var scope = NewDisposeScope();
        using var model = (BertForPreTraining)LoadEval(TinyBert.Root);
        var batch = Batch(batchName, "pretrain");
        using var noGrad = no_grad();

        // Layer by layer, so a mismatch points at the stage that introduced it.
        var hidden = model.bert.embeddings.forward(batch.InputIds, batch.TokenTypeIds);
        AssertClose($"{batchName}.hidden_states.0", hidden);
        var mask = BertModel.ExtendedAttentionMask(batch.AttentionMask!, hidden.dtype);
        for (var i = 0; i < model.bert.encoder.layer.Count; i++)
        {
            hidden = model.bert.encoder.layer[i].forward(hidden, mask);
            AssertClose($"{batchName}.hidden_states.{i + 1}", hidden);
        }

        var output = model.forward(batch);
        AssertClose($"{batchName}.last_hidden_state", output.LastHiddenState!);
        AssertClose($"{batchName}.pooler_output", output.PoolerOutput!);
        AssertClose($"{batchName}.prediction_logits", output.Logits!);
        AssertClose($"{batchName}.seq_relationship_logits", output.SeqRelationshipLogits!);
        AssertClose($"{batchName}.pretrain.mlm_loss", output.MlmLoss!);
        AssertClose($"{batchName}.pretrain.nsp_loss", output.NspLoss!);
        AssertClose($"{batchName}.pretrain.loss", output.Loss!);
    }

    [Theory]
    [MemberData(nameof(Batches))]
    public void SequenceClassificationMatchesTransformers(string batchName)
    {
        using var scope = NewDisposeScope();
        using var model = LoadEval(Head("seqcls"));
        using var noGrad = no_grad();
        var output = model.forward(Batch(batchName, "seqcls"));
        AssertClose($"{batchName}.seqcls.logits", output.Logits!);
        AssertClose($"{batchName}.seqcls.loss", output.Loss!);
    }

    [Theory]
    [MemberData(nameof(Batches))]
    public void TokenClassificationMatchesTransformers(string batchName)
    {
        using var scope = NewDisposeScope();
        using var model = LoadEval(Head("tokcls"));
        using var noGrad = no_grad();
        var output = model.forward(Batch(batchName, "tokcls"));
        AssertClose($"{batchName}.tokcls.logits", output.Logits!);
        AssertClose($"{batchName}.tokcls.loss", output.Loss!);
    }

    [Theory]
    [MemberData(nameof(Batches))]
    public void QuestionAnsweringMatchesTransformers(string batchName)
    {
        using var scope = NewDisposeScope();
        using var model = LoadEval(Head("qa"));
        using var noGrad = no_grad();
        var output = model.forward(Batch(batchName, "qa"));
        AssertClose($"{batchName}.qa.start_logits", output.StartLogits!);
        AssertClose($"{batchName}.qa.end_logits", output.EndLogits!);
        AssertClose($"{batchName}.qa.loss", output.Loss!);
    }

    [Fact]
    public void MultipleChoiceMatchesTransformers()
    {
        using var scope = NewDisposeScope();
        using var model = LoadEval(Head("mc"));
        using var noGrad = no_grad();
        var output = model.forward(MultipleChoiceBatch());
        AssertClose("mc.logits", output.Logits!);
        AssertClose("mc.loss", output.Loss!);
    }

    [Fact]
    public void MaskedLmSharesThePreTrainingPredictionHead()
    {
        using var scope = NewDisposeScope();
        var (model, report) = Checkpoints.HuggingFaceCheckpoint.FromPretrained(TinyBert.Root, nameof(BertForMaskedLM));
        using var _ = model;
        model.eval();
        using var noGrad = no_grad();
        var output = model.forward(Batch("b0_single", "pretrain"));
        AssertClose("b0_single.prediction_logits", output.Logits!);
        AssertClose("b0_single.pretrain.mlm_loss", output.Loss!);
        // transformers reports the same: the pre-training file's pooler and NSP head have no place in BertForMaskedLM.
        Assert.Equal(["bert.pooler.dense.bias", "bert.pooler.dense.weight", "cls.seq_relationship.bias", "cls.seq_relationship.weight"],
            report.UnexpectedKeys.Order(StringComparer.Ordinal));
        Assert.Empty(report.MissingKeys);
    }
}
