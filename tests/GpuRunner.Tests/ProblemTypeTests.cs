using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Modeling;
using static TorchSharp.torch;
using static BertPlatform.GpuRunner.Tests.TinyBert;

namespace BertPlatform.GpuRunner.Tests;

/// <summary>Sequence-classification losses per problem_type, checked against their formulas on the model's own logits.</summary>
public sealed class ProblemTypeTests
{
    [Fact]
    public void MultiLabelUsesBinaryCrossEntropyWithLogits()
    {
        using var scope = NewDisposeScope();
        using var model = Load(c => c.ProblemType = BertForSequenceClassification.MultiLabel);
        var labels = tensor(new float[] { 1, 0, 1, 0, 0, 0, 1, 1, 1 }, [3, 3]);
        var output = model.forward(WithLabels(labels));
        var p = output.Logits!.sigmoid();
        var expected = -(labels * p.log() + (1 - labels) * (1 - p).log()).mean();
        AssertClose(expected, output.Loss!, 1e-6, "multi-label loss");
    }

    [Fact]
    public void RegressionWithOneLabelUsesMeanSquaredError()
    {
        using var scope = NewDisposeScope();
        using var model = Load(c => c.NumLabels = 1);
        var labels = tensor(new float[] { 0.5f, -1f, 2f });
        var output = model.forward(WithLabels(labels));
        Assert.Equal([3L, 1L], output.Logits!.shape);
        var expected = (output.Logits!.squeeze(1) - labels).pow(2).mean();
        AssertClose(expected, output.Loss!, 1e-6, "regression loss");
    }

    [Fact]
    public void IntegerLabelsWithoutProblemTypeUseCrossEntropy()
    {
        using var scope = NewDisposeScope();
        using var model = Load(_ => { });
        var output = model.forward(WithLabels(Batch("b0_single", "seqcls").Labels!));
        AssertClose("b0_single.seqcls.loss", output.Loss!);
    }

    private static BertTaskModel Load(Action<BertConfig> configure)
    {
        // Only the classifier's size may change; the encoder weights still come from the fixture.
        var model = BertModels.Create(Configured(configure), nameof(BertForSequenceClassification));
        var state = model.state_dict();
        using (no_grad())
            foreach (var (name, tensor) in SafetensorsFile.Read(Path.Combine(Head("seqcls"), "model.safetensors")))
                if (state[name].shape.SequenceEqual(tensor.shape)) state[name].copy_(tensor);
        model.eval();
        return model;
    }

    private static BertConfig Configured(Action<BertConfig> configure)
    {
        var config = BertConfig.Load(Path.Combine(Head("seqcls"), "config.json"));
        configure(config);
        return config;
    }

    private static BertBatch WithLabels(Tensor labels)
    {
        var batch = Batch("b0_single", "seqcls");
        return new BertBatch { InputIds = batch.InputIds, TokenTypeIds = batch.TokenTypeIds, AttentionMask = batch.AttentionMask, Labels = labels };
    }
}
