using BertPlatform.GpuRunner.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tests.Modeling;

/// <summary>
/// In training the masked-LM heads score only the labelled positions: the loss and every gradient must be those of
/// scoring every position and ignoring the unlabelled ones, as transformers does (eval mode, dropout 0, runs that path).
/// </summary>
public sealed class LabelledPositionsTests
{
    [Theory]
    [InlineData(nameof(BertForPreTraining))]
    [InlineData(nameof(BertForMaskedLM))]
    public void Scoring_only_the_labelled_positions_gives_the_full_loss_and_gradients(string architecture)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(17);
        var config = BertConfig.Preset("tiny", vocabSize: 50);
        config.HiddenDropoutProb = 0;
        config.AttentionProbsDropoutProb = 0;
        using var model = BertModels.Create(config, architecture);
        var batch = new BertBatch
        {
            InputIds = tensor(new long[,] { { 2, 7, 9, 11, 3, 0 }, { 2, 13, 4, 8, 21, 3 } }),
            AttentionMask = tensor(new long[,] { { 1, 1, 1, 1, 1, 0 }, { 1, 1, 1, 1, 1, 1 } }),
            Labels = tensor(new long[,] { { -100, 7, -100, -100, -100, -100 }, { -100, 30, -100, 8, 5, -100 } }),
            NextSentenceLabels = architecture == nameof(BertForPreTraining) ? tensor(new long[] { 0, 1 }) : null,
        };

        (Tensor Loss, Tensor Logits, Dictionary<string, Tensor> Gradients) Run(bool training)
        {
            model.train(training);
            model.zero_grad();
            var output = model.forward(batch);
            output.Loss!.backward();
            var gradients = model.named_parameters().Where(p => p.parameter.grad is not null).ToDictionary(p => p.name, p => p.parameter.grad!.clone());
            return (output.MlmLoss!.detach(), output.Logits!.detach(), gradients);
        }

        var labelled = Run(training: true);
        var full = Run(training: false);
        Assert.Equal([4L, config.VocabSize], labelled.Logits.shape);
        Assert.Equal([2L, 6, config.VocabSize], full.Logits.shape);
        Assert.True(labelled.Loss.allclose(full.Loss, rtol: 1e-6, atol: 1e-6), $"{labelled.Loss.item<float>()} against {full.Loss.item<float>()}");
        Assert.Equal(full.Gradients.Keys.Order(), labelled.Gradients.Keys.Order());
        foreach (var (name, expected) in full.Gradients)
        {
            var difference = (labelled.Gradients[name] - expected).abs().max().item<float>();
            Assert.True(difference <= 1e-5 * expected.abs().max().item<float>() + 1e-7, $"{name} differs by {difference}");
        }
    }
}
