using System.Text.Json;
using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Inference;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Training;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tasks;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>
/// Text classification on BertForSequenceClassification: read and split the data, fix the label space, tokenize;
/// single-label, multi-label or regression as the job's problem type says.
/// </summary>
public sealed class TextClassificationDefinition : ITaskDefinition
{
    public ITaskData Data => TaskCatalog.TextClassification;

    public IReadOnlyList<string> Architectures { get; } = [nameof(BertForSequenceClassification)];

    public async Task<JobOutcome> RunAsync(JobExecution execution, Device device, CancellationToken cancellationToken)
    {
        var spec = execution.Spec;
        var hp = spec.Hyperparameters;
        var tokenizer = BertTextTokenizer.Load(execution.BaseModelDirectory);
        var problemType = spec.ProblemType ?? ProblemType.SingleLabelClassification;
        IEnumerable<TextClassificationExample> Read(string path, DatasetFormat format) =>
            TaskCatalog.TextClassification.Read(path, format, spec.Columns, spec.ProblemType);

        // A small file is held in memory and batched by length; a large one (a direct upload of gigabytes) is streamed.
        LabelSpace labels;
        List<TextClassificationExample> validation;
        Func<TextClassificationTask, ITrainingData<TextClassificationFeature>> training;
        var notes = new List<string>();
        if (StreamedTextClassification.Applies(execution))
        {
            var streamed = StreamedTextClassification.Open(execution, Read);
            labels = new LabelSpace(streamed.Labels);
            validation = streamed.Validation;
            training = task => streamed.Training(e => task.Encode(e, tokenizer, hp.MaxSequenceLength));
            notes.Add(streamed.Describe(new FileInfo(execution.TrainingDataPath).Length));
            await execution.Progress.ReportAsync(JobEventKind.Log, notes[^1], 0, null, cancellationToken);
        }
        else
        {
            // With named validation sets every training row trains; otherwise a hold-out is split off.
            var (train, heldOut) = execution.ValidationSets.Count > 0
                ? (Read(execution.TrainingDataPath, execution.TrainingFormat).ToList(), [])
                : HoldOutSplit.TrainingAndValidation(execution, Read);
            labels = new LabelSpace(problemType == ProblemType.Regression ? [] : train.SelectMany(e => e.Labels));
            validation = heldOut;
            training = task => new InMemoryTrainingData<TextClassificationFeature>(train.Select(e => task.Encode(e, tokenizer, hp.MaxSequenceLength)).ToList());
        }

        var task = new TextClassificationTask(problemType, labels, tokenizer.PadTokenId);
        var namedSets = execution.ValidationSets
            .Select(set => new NamedEvaluationSet<TextClassificationFeature>(set.Name,
                Read(set.Path, set.Format).Select(e => task.EncodeForEvaluation(e, tokenizer, hp.MaxSequenceLength)).ToList()))
            .ToList();
        // With named sets, the one the job selects on is the trainer's evaluation set (the same list: scored once).
        var evaluationSet = namedSets.Count > 0
            ? namedSets.Single(s => s.Name == spec.SelectionSet()!.Name).Features
            : validation.Select(e => task.EncodeForEvaluation(e, tokenizer, hp.MaxSequenceLength)).ToList();
        var plan = new TrainingRun.Plan<TextClassificationFeature>(
            task,
            Architectures[0],
            Data.PrimaryMetric(problemType),
            config =>
            {
                config.NumLabels = task.NumLabels;
                config.ProblemType = JsonSerializer.SerializeToElement(problemType).GetString();
                if (problemType != ProblemType.Regression)
                {
                    config.Id2Label = labels.ToId2Label();
                    config.Label2Id = labels.ToLabel2Id();
                }
            },
            training(task),
            evaluationSet,
            new JsonObject
            {
                ["problem_type"] = JsonSerializer.SerializeToNode(problemType),
                ["labels"] = new JsonArray(labels.Names.Select(n => (JsonNode?)n).ToArray()),
                ["validation"] = namedSets.Count > 0 ? $"{namedSets.Count} named sets, selecting on {spec.SelectionSet()!.Name}"
                    : execution.ValidationDataPath != null ? "dataset" : $"hold-out {hp.ValidationSplit:P0} of the training data",
            },
            NamedEvaluationSets: namedSets,
            Notes: notes);
        return await TrainingRun.RunAsync(execution, tokenizer, plan, device, cancellationToken);
    }

    public IPredictor CreatePredictor(BertTaskModel model, BertTextTokenizer tokenizer, int maxLength, Device device) =>
        new TextClassificationPredictor((BertForSequenceClassification)model, tokenizer, maxLength, device);
}
