using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>Extractive QA: per-token start and end logits (qa_outputs row 0 = start, row 1 = end); no pooler.</summary>
public sealed class BertForQuestionAnswering : BertTaskModel
{
    public readonly BertModel bert;
    public readonly Linear qa_outputs;

    public BertForQuestionAnswering(BertConfig config) : base(config, nameof(BertForQuestionAnswering))
    {
        bert = new BertModel(config, addPoolingLayer: false);
        qa_outputs = nn.Linear(config.HiddenSize, 2);
        RegisterComponents();
    }

    public override BertModel Encoder => bert;

    public override BertOutput forward(BertBatch batch)
    {
        var (sequence, _) = bert.forward(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
        var logits = qa_outputs.forward(sequence); // [B,T,2]
        var startLogits = logits[.., .., 0].contiguous(); // [B,T]
        var endLogits = logits[.., .., 1].contiguous();
        Tensor? loss = null;
        if (batch.StartPositions is not null && batch.EndPositions is not null)
        {
            // As transformers: positions outside the sequence are clamped to T and then ignored by the loss.
            var ignored = startLogits.shape[1];
            var start = batch.StartPositions.view(-1).clamp(0, ignored);
            var end = batch.EndPositions.view(-1).clamp(0, ignored);
            var startLoss = nn.functional.cross_entropy(startLogits, start, ignore_index: ignored);
            var endLoss = nn.functional.cross_entropy(endLogits, end, ignore_index: ignored);
            loss = (startLoss + endLoss) / 2;
        }
        return new BertOutput { Loss = loss, StartLogits = startLogits, EndLogits = endLogits, LastHiddenState = sequence };
    }
}
