using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Training;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>Plans a question-answering job: split questions, cut long contexts into overlapping windows.</summary>
public static class QuestionAnsweringJob
{
    public static Task<JobOutcome> RunAsync(JobExecution execution, Device device, CancellationToken cancellationToken)
    {
        var spec = execution.Spec;
        var hp = spec.Hyperparameters;
        var options = spec.QuestionAnswering;
        var tokenizer = BertTextTokenizer.Load(execution.BaseModelDirectory);
        var (train, validation) = HoldOutSplit.TrainingAndValidation(execution, (path, format) => DatasetReader.ReadQuestionAnswering(path, format, spec.Columns));
        var withUnanswerable = options.VersionTwoWithNegative ?? train.Concat(validation).Any(e => e.IsImpossible);
        var task = new QuestionAnsweringTask(validation, options, withUnanswerable, tokenizer.PadTokenId);
        var trainFeatures = train.SelectMany((e, i) => QuestionAnsweringTask.Encode(i, e, tokenizer, hp.MaxSequenceLength, options)).ToList();
        var plan = new FineTuningRun.Plan<QuestionAnsweringFeature>(
            task,
            "BertForQuestionAnswering",
            _ => { },
            new InMemoryTrainingData<QuestionAnsweringFeature>(trainFeatures),
            validation.SelectMany((e, i) => QuestionAnsweringTask.Encode(i, e, tokenizer, hp.MaxSequenceLength, options)).ToList(),
            new JsonObject
            {
                ["squad_v2"] = withUnanswerable,
                ["train_questions"] = train.Count,
                ["train_windows"] = trainFeatures.Count,
                ["eval_questions"] = validation.Count,
                ["doc_stride"] = options.DocStride,
            });
        return FineTuningRun.RunAsync(execution, tokenizer, plan, device, cancellationToken);
    }
}
