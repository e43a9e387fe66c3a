using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Training;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>Plans a multiple-choice job.</summary>
public static class MultipleChoiceJob
{
    public static Task<JobOutcome> RunAsync(JobExecution execution, Device device, CancellationToken cancellationToken)
    {
        var spec = execution.Spec;
        var hp = spec.Hyperparameters;
        var tokenizer = BertTextTokenizer.Load(execution.BaseModelDirectory);
        var (train, validation) = HoldOutSplit.TrainingAndValidation(execution, (path, format) => DatasetReader.ReadMultipleChoice(path, format, spec.Columns));
        var task = new MultipleChoiceTask(tokenizer.PadTokenId);
        var plan = new FineTuningRun.Plan<MultipleChoiceFeature>(
            task,
            "BertForMultipleChoice",
            config => config.NumLabels = 1,
            new InMemoryTrainingData<MultipleChoiceFeature>(train.Select(e => MultipleChoiceTask.Encode(e, tokenizer, hp.MaxSequenceLength)).ToList()),
            validation.Select(e => MultipleChoiceTask.Encode(e, tokenizer, hp.MaxSequenceLength)).ToList(),
            new JsonObject { ["choices"] = train.Count > 0 ? train[0].Endings.Count : 0 });
        return FineTuningRun.RunAsync(execution, tokenizer, plan, device, cancellationToken);
    }
}
