using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Training;
using BertPlatform.Shared.Metrics;
using BertPlatform.GpuRunner.Pretraining;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>A masked-LM / next-sentence instance as the trainer batches it, with its document's language where known.</summary>
public sealed record PretrainingFeature(PretrainingInstance Instance, string? Language = null) : ISequenceFeature
{
    public int Length => Instance.Length;
}

/// <summary>
/// BERT's pre-training objectives as BertForPreTraining trains them: masked-LM cross-entropy over the chosen
/// positions plus next-sentence cross-entropy. Scored by masked-LM accuracy, loss and perplexity, and
/// next-sentence accuracy, with the held-out set's unigram baseline beside masked-LM accuracy; where the instances
/// carry their documents' languages, the same figures per language (<c>lang/{language}/…</c>, count = instances).
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
        private readonly Sums overall = new();
        private readonly SortedDictionary<string, Sums> languages = new(StringComparer.Ordinal);
        private bool everyLanguageKnown = true;

        public void Add(IReadOnlyList<PretrainingFeature> features, BertOutput output)
        {
            var logits = output.Logits!;                                           // [B,T,V]
            var device = logits.device;
            var labels = Padding.Stack(features.Select(f => (IReadOnlyList<int>)f.Instance.MaskedLmLabels).ToArray(),
                PretrainingInstance.NotPredicted, device);                         // [B,T]
            var chosen = labels.ne(PretrainingInstance.NotPredicted);
            var logProbabilities = nn.functional.log_softmax(logits, -1);
            var target = labels.masked_fill(chosen.logical_not(), 0).unsqueeze(-1);
            var tokenLogProbability = logProbabilities.gather(-1, target).squeeze(-1).masked_fill(chosen.logical_not(), 0); // [B,T]
            var nspLabels = tensor(features.Select(f => (long)f.Instance.NextSentenceLabel).ToArray(), device: device);
            var nspLogits = output.SeqRelationshipLogits!;                         // [B,2]

            // Per instance, so each can count under its own language: [B] each.
            var mlmLoss = tokenLogProbability.sum(-1).neg().cpu().data<float>().ToArray();
            var predicted = chosen.sum(-1).cpu().data<long>().ToArray();
            var mlmCorrect = logits.argmax(-1).eq(labels).logical_and(chosen).sum(-1).cpu().data<long>().ToArray();
            var nspLoss = nn.functional.cross_entropy(nspLogits, nspLabels, reduction: nn.Reduction.None).cpu().data<float>().ToArray();
            var nspCorrect = nspLogits.argmax(-1).eq(nspLabels).cpu().data<bool>().ToArray();
            for (var i = 0; i < features.Count; i++)
            {
                var language = features[i].Language;
                everyLanguageKnown &= language is not null;
                foreach (var sums in language is null ? [overall] : new[] { overall, Of(language) })
                    sums.Add(mlmLoss[i], predicted[i], mlmCorrect[i], nspLoss[i], nspCorrect[i]);
            }
        }

        private Sums Of(string language) => languages.TryGetValue(language, out var sums) ? sums : languages[language] = new Sums();

        public IReadOnlyDictionary<string, double> Complete()
        {
            var metrics = overall.Metrics();
            metrics[MetricNames.MlmUnigramAccuracy] = unigramAccuracy;
            if (everyLanguageKnown && overall.Pairs > 0)
                foreach (var (language, sums) in languages)
                {
                    metrics[MetricBreakdown.LanguageKey(language, MetricBreakdown.Count)] = sums.Pairs;
                    foreach (var (name, value) in sums.Metrics()) metrics[MetricBreakdown.LanguageKey(language, name)] = value;
                }
            return metrics;
        }
    }

    /// <summary>Masked-LM and next-sentence sums over a set of instances.</summary>
    private sealed class Sums
    {
        private double mlmLoss, nspLoss;
        private long predictions, mlmCorrect, nspCorrect;

        public long Pairs { get; private set; }

        public void Add(double instanceMlmLoss, long instancePredictions, long instanceMlmCorrect, double instanceNspLoss, bool nextSentenceRight)
        {
            mlmLoss += instanceMlmLoss;
            predictions += instancePredictions;
            mlmCorrect += instanceMlmCorrect;
            nspLoss += instanceNspLoss;
            nspCorrect += nextSentenceRight ? 1 : 0;
            Pairs++;
        }

        public Dictionary<string, double> Metrics()
        {
            var loss = mlmLoss / Math.Max(1, predictions);
            return new Dictionary<string, double>
            {
                ["mlm_accuracy"] = (double)mlmCorrect / Math.Max(1, predictions),
                ["mlm_loss"] = loss,
                ["perplexity"] = Math.Exp(loss),
                ["nsp_accuracy"] = (double)nspCorrect / Math.Max(1, Pairs),
                ["nsp_loss"] = nspLoss / Math.Max(1, Pairs),
            };
        }
    }
}
