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
/// Extractive question answering (SQuAD v1.1 / v2.0) on BertForQuestionAnswering: split the questions, cut long
/// contexts into overlapping windows, decode answers with an n-best search.
/// </summary>
public sealed class QuestionAnsweringDefinition : ITaskDefinition
{
    public ITaskData Data => TaskCatalog.QuestionAnswering;

    public IReadOnlyList<string> Architectures { get; } = [nameof(BertForQuestionAnswering)];

    public Task<JobOutcome> RunAsync(JobExecution execution, Device device, CancellationToken cancellationToken)
    {
        var spec = execution.Spec;
        var hp = spec.Hyperparameters;
        var options = spec.QuestionAnswering;
        var tokenizer = BertTextTokenizer.Load(execution.BaseModelDirectory);
        var examples = FineTuningExamples<QuestionAnsweringExample>.Read(execution,
            (path, format) => TaskCatalog.QuestionAnswering.Read(path, format, spec.Columns));
        var (train, validation) = (examples.Train, examples.Validation);
        var withUnanswerable = options.VersionTwoWithNegative ?? train.Concat(examples.Evaluated).Any(e => e.IsImpossible);
        var task = new QuestionAnsweringTask(options, withUnanswerable, tokenizer.PadTokenId);
        var trainFeatures = train.SelectMany((e, i) => QuestionAnsweringTask.Encode(i, e, tokenizer, hp.MaxSequenceLength, options)).ToList();
        // Each set numbers its own questions: the windows of one evaluation pass are grouped by that number.
        var (evaluationSet, namedSets) = examples.Encode<QuestionAnsweringFeature>(
            set => set.SelectMany((e, i) => QuestionAnsweringTask.EncodeForEvaluation(i, e, tokenizer, hp.MaxSequenceLength, options)).ToList());
        var plan = new TrainingRun.Plan<QuestionAnsweringFeature>(
            task,
            Architectures[0],
            Data.PrimaryMetric(null),
            _ => { },
            new InMemoryTrainingData<QuestionAnsweringFeature>(trainFeatures),
            evaluationSet,
            new JsonObject
            {
                ["squad_v2"] = withUnanswerable,
                ["train_questions"] = train.Count,
                ["train_windows"] = trainFeatures.Count,
                ["eval_questions"] = validation.Count,
                ["doc_stride"] = options.DocStrideFor(hp.MaxSequenceLength),
                ["validation"] = examples.Source,
            },
            NamedEvaluationSets: namedSets);
        return TrainingRun.RunAsync(execution, tokenizer, plan, device, cancellationToken);
    }

    public IPredictor CreatePredictor(BertTaskModel model, BertTextTokenizer tokenizer, int maxLength, Device device) =>
        new QuestionAnsweringPredictor((BertForQuestionAnswering)model, tokenizer, maxLength, device);
}
