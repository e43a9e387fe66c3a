using BertPlatform.Shared.Contracts;

namespace BertPlatform.GpuRunner.Worker;

/// <summary>Everything an executor needs for one job, already on local disk.</summary>
public sealed record JobExecution
{
    public required string JobId { get; init; }

    public required JobSpec Spec { get; init; }

    public JobKind Kind { get; init; } = JobKind.FineTuning;

    /// <summary>Batch predictions: the request. The model to run is in <see cref="BaseModelDirectory"/>, the dataset at
    /// <see cref="TrainingDataPath"/>, and the executor writes <c>predictions.jsonl</c> to <see cref="OutputDirectory"/>.</summary>
    public BatchPredictionSpec? BatchPrediction { get; init; }

    /// <summary>Local folder in the Hugging Face layout (config.json, vocab.txt, tokenizer_config.json, weights).</summary>
    public required string BaseModelDirectory { get; init; }

    public required string TrainingDataPath { get; init; }

    public required DatasetFormat TrainingFormat { get; init; }

    /// <summary>The dataset was uploaded unlabeled (batch predictions only: the API refuses to train on it).</summary>
    public bool TrainingDataUnlabeled { get; init; }

    /// <summary>The training dataset's record with its validation report (rows, label counts); null in tests that build an execution by hand.</summary>
    public DatasetRecord? TrainingDataset { get; init; }

    public string? ValidationDataPath { get; init; }

    public DatasetFormat? ValidationFormat { get; init; }

    /// <summary>The job's named validation sets, downloaded, in the spec's order; empty for a job without them.</summary>
    public IReadOnlyList<LocalValidationSet> ValidationSets { get; init; } = [];

    /// <summary>The executor writes the Hugging Face layout plus metrics.json here; the worker uploads it to <c>models/{jobId}/</c>.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Restored from blob <c>checkpoints/{jobId}/</c> before the call; empty when the job starts fresh.</summary>
    public required string CheckpointDirectory { get; init; }

    /// <summary>
    /// Uploads the named folders of <see cref="CheckpointDirectory"/> (e.g. <c>last</c>, <c>best</c>) to blob storage,
    /// each replacing that folder's blobs; call it after writing them. Blobs of folders not named stay, so a folder
    /// deleted locally after its upload is still restored into <see cref="CheckpointDirectory"/> on the next attempt.
    /// </summary>
    public required Func<IReadOnlyList<string>, CancellationToken, Task> SaveCheckpointAsync { get; init; }

    public required IJobProgress Progress { get; init; }
}

/// <summary>A named validation set on local disk.</summary>
public sealed record LocalValidationSet(string Name, string Path, DatasetFormat Format);
