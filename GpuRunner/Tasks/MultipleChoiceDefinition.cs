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

/// <summary>SWAG-style multiple choice on BertForMultipleChoice: one score per ending, softmax over the endings.</summary>
public sealed class MultipleChoiceDefinition : ITaskDefinition
{
    public ITaskData Data => TaskCatalog.MultipleChoice;

    public IReadOnlyList<string> Architectures { get; } = [nameof(BertForMultipleChoice)];

    public Task<JobOutcome> RunAsync(JobExecution execution, Device device, CancellationToken cancellationToken)
    {
        var spec = execution.Spec;
        var hp = spec.Hyperparameters;
        var tokenizer = BertTextTokenizer.Load(execution.BaseModelDirectory);
        var examples = FineTuningExamples<MultipleChoiceExample>.Read(execution,
            (path, format) => TaskCatalog.MultipleChoice.Read(path, format, spec.Columns));
        var train = examples.Train;
        var task = new MultipleChoiceTask(tokenizer.PadTokenId);
        var (evaluationSet, namedSets) = examples.Encode<MultipleChoiceFeature>(
            set => set.Select(e => MultipleChoiceTask.EncodeForEvaluation(e, tokenizer, hp.MaxSequenceLength)).ToList());
        var plan = new TrainingRun.Plan<MultipleChoiceFeature>(
            task,
            Architectures[0],
            Data.PrimaryMetric(null),
            config => config.NumLabels = 1,
            new InMemoryTrainingData<MultipleChoiceFeature>(train.Select(e => MultipleChoiceTask.Encode(e, tokenizer, hp.MaxSequenceLength)).ToList()),
            evaluationSet,
            new JsonObject { ["choices"] = train.Count > 0 ? train[0].Endings.Count : 0, ["validation"] = examples.Source },
            NamedEvaluationSets: namedSets);
        return TrainingRun.RunAsync(execution, tokenizer, plan, device, cancellationToken);
    }

    public IPredictor CreatePredictor(BertTaskModel model, BertTextTokenizer tokenizer, int maxLength, Device device) =>
        new MultipleChoicePredictor((BertForMultipleChoice)model, tokenizer, maxLength, device);
}
