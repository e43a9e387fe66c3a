using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Inference;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Training;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tasks;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>
/// Token classification (NER, POS) on BertForTokenClassification: read and split the sentences, fix the tag set,
/// align tags to word pieces.
/// </summary>
public sealed class TokenClassificationDefinition : ITaskDefinition
{
    public ITaskData Data => TaskCatalog.TokenClassification;

    public IReadOnlyList<string> Architectures { get; } = [nameof(BertForTokenClassification)];

    public Task<JobOutcome> RunAsync(JobExecution execution, Device device, CancellationToken cancellationToken)
    {
        var spec = execution.Spec;
        var hp = spec.Hyperparameters;
        var tokenizer = BertTextTokenizer.Load(execution.BaseModelDirectory);
        var examples = FineTuningExamples<TokenClassificationExample>.Read(execution,
            (path, format) => TaskCatalog.TokenClassification.Read(path, format, spec.Columns));
        var train = examples.Train;

        var tags = new LabelSpace(train.SelectMany(e => e.Tags));
        var task = new TokenClassificationTask(tags, tokenizer.PadTokenId, spec.TokenClassification.LabelAllSubwords);
        var (evaluationSet, namedSets) = examples.Encode<TokenClassificationFeature>(
            set => set.Select(e => task.EncodeForEvaluation(e, tokenizer, hp.MaxSequenceLength)).ToList());
        var plan = new TrainingRun.Plan<TokenClassificationFeature>(
            task,
            Architectures[0],
            Data.PrimaryMetric(null),
            config =>
            {
                config.NumLabels = tags.Count;
                config.Id2Label = tags.ToId2Label();
                config.Label2Id = tags.ToLabel2Id();
            },
            new InMemoryTrainingData<TokenClassificationFeature>(train.Select(e => task.Encode(e, tokenizer, hp.MaxSequenceLength)).ToList()),
            evaluationSet,
            new JsonObject
            {
                ["tags"] = new JsonArray(tags.Names.Select(n => (JsonNode?)n).ToArray()),
                ["label_all_subwords"] = spec.TokenClassification.LabelAllSubwords,
                ["validation"] = examples.Source,
            },
            NamedEvaluationSets: namedSets);
        return TrainingRun.RunAsync(execution, tokenizer, plan, device, cancellationToken);
    }

    public IPredictor CreatePredictor(BertTaskModel model, BertTextTokenizer tokenizer, int maxLength, Device device) =>
        new TokenClassificationPredictor((BertForTokenClassification)model, tokenizer, maxLength, device);
}
