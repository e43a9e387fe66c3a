using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Training;
using BertPlatform.Shared.Metrics;
using BertPlatform.GpuRunner.Pretraining;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>A masked-LM / next-sentence instance as the trainer batches it.</summary>
public sealed record PretrainingFeature(PretrainingInstance Instance) : ISequenceFeature
{
    public int Length => Instance.Length;
}

/// <summary>
/// BERT's pre-training objectives as BertForPreTraining trains them: masked-LM cross-entropy over the chosen
/// positions plus next-sentence cross-entropy. Scored by masked-LM accuracy, loss and perplexity, and
/// next-sentence accuracy, with the held-out set's unigram baseline beside masked-LM accuracy.
/// </summary>
/// <param name="unigramAccuracy">The held-out masks' <see cref="UnigramBaseline"/> accuracy, reported with every evaluation.</param>
public sealed class PretrainingTask(int padTokenId, double unigramAccuracy) : ITrainingTask<PretrainingFeature>
{
    public BertBatch Collate(IReadOnlyList<PretrainingFeature> features, Device device)
    {
        var ids = features.Select(f => (IReadOnlyList<int>)f.Instance.InputIds).ToArray();
        return new BertBatch
        {
            InputIds = Padding.Stack(ids, padTokenId, device),
            TokenTypeIds = Padding.Stack(features.Select(f => (IReadOnlyList<int>)f.Instance.TokenTypeIds).ToArray(), 0, device),
            AttentionMask = Padding.Mask(ids, device),
            Labels = Padding.Stack(features.Select(f => (IReadOnlyList<int>)f.Instance.MaskedLmLabels).ToArray(), PretrainingInstance.NotPredicted, device),
            NextSentenceLabels = tensor(features.Select(f => (long)f.Instance.NextSentenceLabel).ToArray(), device: device),
        };
    }

    public ITaskEvaluation<PretrainingFeature> BeginEvaluation() => new Evaluation(unigramAccuracy);

    private sealed class Evaluation(double unigramAccuracy) : ITaskEvaluation<PretrainingFeature>
    {
        private double mlmLossSum, nspLossSum;
        private long predictions, mlmCorrect, pairs, nspCorrect;

        public void Add(IReadOnlyList<PretrainingFeature> features, BertOutput output)
        {
            var logits = output.Logits!;                                           // [B,T,V]
            var device = logits.device;
            var labels = Padding.Stack(features.Select(f => (IReadOnlyList<int>)f.Instance.MaskedLmLabels).ToArray(),
                PretrainingInstance.NotPredicted, device);                         // [B,T]
            var chosen = labels.ne(PretrainingInstance.NotPredicted);
            var logProbabilities = nn.functional.log_softmax(logits, -1);
            var target = labels.masked_fill(chosen.logical_not(), 0).unsqueeze(-1);
            var tokenLogProbability = logProbabilities.gather(-1, target).squeeze(-1); // [B,T]
            mlmLossSum -= tokenLogProbability.masked_select(chosen).sum().item<float>();
            predictions += chosen.sum().item<long>();
            mlmCorrect += logits.argmax(-1).eq(labels).logical_and(chosen).sum().item<long>();

            var nspLabels = tensor(features.Select(f => (long)f.Instance.NextSentenceLabel).ToArray(), device: device);
            var nspLogits = output.SeqRelationshipLogits!;                         // [B,2]
            nspLossSum += nn.functional.cross_entropy(nspLogits, nspLabels, reduction: nn.Reduction.Sum).item<float>();
            nspCorrect += nspLogits.argmax(-1).eq(nspLabels).sum().item<long>();
            pairs += features.Count;
        }

        public IReadOnlyDictionary<string, double> Complete()
        {
            var mlmLoss = mlmLossSum / Math.Max(1, predictions);
            return new Dictionary<string, double>
            {
                ["mlm_accuracy"] = (double)mlmCorrect / Math.Max(1, predictions),
                [MetricNames.MlmUnigramAccuracy] = unigramAccuracy,
                ["mlm_loss"] = mlmLoss,
                ["perplexity"] = Math.Exp(mlmLoss),
                ["nsp_accuracy"] = (double)nspCorrect / Math.Max(1, pairs),
                ["nsp_loss"] = nspLossSum / Math.Max(1, pairs),
            };
        }
    }
}
