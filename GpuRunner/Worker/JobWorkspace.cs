using Azure.Storage.Blobs.Models;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Storage;

namespace BertPlatform.GpuRunner.Worker;

/// <summary>
/// A job's local folder: the base model, the datasets and any checkpoint are downloaded into it before training,
/// and the executor's output is published from it afterwards. Before any download the job's peak disk use is checked
/// against the free space and <paramref name="budgetBytes"/> (<see cref="WorkspaceBudget"/>); the worker deletes the
/// folder when the attempt ends, however it ends.
/// </summary>
public sealed class JobWorkspace(string root, JobRecord job, StorageClients storage, DatasetRepository datasets, ModelRepository models,
    long? budgetBytes = null)
{
    public string Directory { get; } = Path.Combine(root, job.Id);

    public string BaseModelDirectory => Path.Combine(Directory, "base-model");
    public string DataDirectory => Path.Combine(Directory, "data");
    public string CheckpointDirectory => Path.Combine(Directory, "checkpoints");
    public string OutputDirectory => Path.Combine(Directory, "output");

    public async Task<JobExecution> PrepareAsync(IJobProgress progress, CancellationToken ct)
    {
        var spec = job.Spec;
        // From-scratch pre-training builds its own vocabulary and random weights: it has no base model to download.
        var fromScratch = spec.Task == TaskType.Pretraining && spec.Pretraining.FromScratch;
        var modelPrefix = fromScratch ? null : await BaseModelPrefixAsync(spec.BaseModel, ct);
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
        (await EstimateAsync(modelPrefix, ct)).EnsureFits(root, budgetBytes);
        foreach (var folder in new[] { BaseModelDirectory, DataDirectory, CheckpointDirectory, OutputDirectory })
            System.IO.Directory.CreateDirectory(folder);

        var modelFiles = 0;
        if (modelPrefix is not null)
        {
            modelFiles = await BlobFolders.DownloadAsync(storage.Container(StorageNames.ModelsContainer), modelPrefix, BaseModelDirectory, ct);
            if (modelFiles == 0 || !File.Exists(Path.Combine(BaseModelDirectory, "config.json")))
                throw new JobFailedException($"Base model '{spec.BaseModel}' has no config.json under models/{modelPrefix}; seed it with 'GpuRunner seed-base-model'.");
        }
        var baseModelNote = fromScratch ? "from scratch (no base model)"
            : job.Kind == JobKind.BatchPrediction ? $"model {job.BatchPrediction?.Model} ({modelFiles} files)"
            : $"base model {spec.BaseModel} ({modelFiles} files)";

        var (trainingPath, trainingDataset) = await DownloadDatasetAsync(spec.TrainingDataset, "train", ct);
        string? validationPath = null;
        DatasetFormat? validationFormat = null;
        if (spec.ValidationDataset is { } validationId)
        {
            (validationPath, var validationDataset) = await DownloadDatasetAsync(validationId, "validation", ct);
            validationFormat = validationDataset.Format;
        }
        var validationSets = new List<LocalValidationSet>();
        foreach (var (set, index) in (spec.ValidationSets ?? []).Select((set, index) => (set, index)))
        {
            // The file is named by position: set names are safe in metric names, not necessarily in every file system.
            var (path, setDataset) = await DownloadDatasetAsync(set.Dataset, $"validation-set-{index}", ct);
            validationSets.Add(new LocalValidationSet(set.Name, path, setDataset.Format));
        }

        var checkpoints = storage.Container(StorageNames.CheckpointsContainer);
        var restored = await BlobFolders.DownloadAsync(checkpoints, StorageNames.CheckpointPrefix(job.Id), CheckpointDirectory, ct);
        await progress.ReportAsync(JobEventKind.Log, restored > 0
            ? $"Inputs ready: {baseModelNote}, restored a checkpoint of {restored} files."
            : $"Inputs ready: {baseModelNote}, starting fresh.", null, null, ct);

        return new JobExecution
        {
            JobId = job.Id,
            Spec = spec,
            Kind = job.Kind,
            BatchPrediction = job.BatchPrediction,
            BaseModelDirectory = BaseModelDirectory,
            TrainingDataPath = trainingPath,
            TrainingFormat = trainingDataset.Format,
            TrainingDataset = trainingDataset,
            TrainingDataUnlabeled = trainingDataset.Unlabeled,
            ValidationDataPath = validationPath,
            ValidationFormat = validationFormat,
            ValidationSets = validationSets,
            OutputDirectory = OutputDirectory,
            CheckpointDirectory = CheckpointDirectory,
            SaveCheckpointAsync = (folders, token) => SaveCheckpointAsync(folders, progress, token),
            Progress = progress,
        };
    }

    /// <summary>
    /// Mirrors each named folder of the checkpoint directory to <c>checkpoints/{jobId}/{folder}/</c>, removing that
    /// folder's blobs of files the trainer no longer wrote. Other folders' blobs stay: the trainer deletes <c>last/</c>
    /// locally once it is uploaded, and resuming needs it from here.
    /// </summary>
    private async Task SaveCheckpointAsync(IReadOnlyList<string> folders, IJobProgress progress, CancellationToken ct)
    {
        var container = storage.Container(StorageNames.CheckpointsContainer);
        var (files, bytes) = (0, 0L);
        foreach (var folder in folders)
        {
            if (folder.Length == 0 || folder.IndexOfAny(['/', '\\']) >= 0 || folder is "." or "..")
                throw new ArgumentException($"'{folder}' is not a folder name of the checkpoint directory.", nameof(folders));
            var prefix = StorageNames.CheckpointPrefix(job.Id) + folder + "/";
            var uploaded = await BlobFolders.UploadAsync(Path.Combine(CheckpointDirectory, folder), container, prefix, ct);
            var keep = uploaded.Select(f => prefix + f.Path).ToHashSet(StringComparer.Ordinal);
            await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, ct))
                if (!keep.Contains(blob.Name)) await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: ct);
            (files, bytes) = (files + uploaded.Count, bytes + uploaded.Sum(f => f.Bytes));
        }
        await progress.ReportAsync(JobEventKind.Checkpoint,
            $"Checkpoint saved ({string.Join(" and ", folders.Select(f => f + "/"))}: {files} files, {bytes} bytes).", null, null, ct);
    }

    /// <summary>The job's peak local disk use, from the sizes in storage (nothing is downloaded yet).</summary>
    private async Task<WorkspaceBudget> EstimateAsync(string? modelPrefix, CancellationToken ct)
    {
        var spec = job.Spec;
        var datasetBytes = 0L;
        foreach (var id in new[] { spec.TrainingDataset, spec.ValidationDataset }.OfType<string>())
            datasetBytes += (await datasets.GetAsync(job.Owner, id, ct))?.Bytes ?? 0;
        if (modelPrefix is null)
        {
            var config = BertConfig.Preset(spec.Pretraining.ModelSize, spec.Pretraining.VocabularySize);
            return new WorkspaceBudget(0, datasetBytes, WorkspaceBudget.WeightBytesOf(config));
        }
        var (modelBytes, weightBytes) = (0L, 0L);
        await foreach (var blob in storage.Container(StorageNames.ModelsContainer).GetBlobsAsync(BlobTraits.None, BlobStates.None, modelPrefix, ct))
        {
            var size = blob.Properties.ContentLength ?? 0;
            modelBytes += size;
            // The weights in the Hugging Face layout; the trainer's copies are float32 like them.
            if (blob.Name.EndsWith(".safetensors", StringComparison.Ordinal)) weightBytes = Math.Max(weightBytes, size);
        }
        return new WorkspaceBudget(modelBytes, datasetBytes, weightBytes);
    }

    /// <summary>Publishes the executor's output as <c>models/{jobId}/</c>; returns the files published.</summary>
    public async Task<IReadOnlyList<ModelFile>> PublishAsync(CancellationToken ct)
    {
        var container = storage.Container(StorageNames.ModelsContainer);
        var prefix = StorageNames.TrainedModelPrefix(job.Id);
        await BlobFolders.DeleteAsync(container, prefix, ct);
        var files = await BlobFolders.UploadAsync(OutputDirectory, container, prefix, ct);
        if (files.Count == 0) throw new JobFailedException("The trainer finished but wrote no files to publish.");
        return files.Select(f => new ModelFile(f.Path, f.Bytes)).ToList();
    }

    /// <summary>
    /// Batch predictions: uploads the executor's predictions file as the job's output, replacing any an earlier
    /// attempt left, in one blob upload, so a reader sees a complete file or none.
    /// </summary>
    public async Task<BatchPredictionOutput> PublishPredictionsAsync(string fileName, CancellationToken ct)
    {
        var path = Path.Combine(OutputDirectory, fileName);
        if (!File.Exists(path)) throw new JobFailedException("The batch prediction finished but wrote no predictions file.");
        var blobName = StorageNames.PredictionsBlobName(job.Owner, job.Id);
        await storage.Container(StorageNames.PredictionsContainer).GetBlobClient(blobName).UploadAsync(path, overwrite: true, ct);
        long lines = 0;
        foreach (var _ in File.ReadLines(path)) lines++;
        return new BatchPredictionOutput { BlobName = blobName, Predictions = lines, Bytes = new FileInfo(path).Length };
    }

    public Task DeleteCheckpointsAsync(CancellationToken ct) =>
        BlobFolders.DeleteAsync(storage.Container(StorageNames.CheckpointsContainer), StorageNames.CheckpointPrefix(job.Id), ct);

    public void Clean()
    {
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }

    private async Task<string> BaseModelPrefixAsync(string baseModel, CancellationToken ct)
    {
        if (!baseModel.StartsWith("model:", StringComparison.Ordinal)) return StorageNames.BaseModelPrefix(baseModel);
        var id = baseModel["model:".Length..];
        var model = await models.GetAsync(job.Owner, id, ct) ?? throw new JobFailedException($"Base model '{baseModel}': no model '{id}' belongs to the job's owner.");
        return model.BlobPrefix;
    }

    private async Task<(string Path, DatasetRecord Dataset)> DownloadDatasetAsync(string datasetId, string role, CancellationToken ct)
    {
        var dataset = await datasets.GetAsync(job.Owner, datasetId, ct)
            ?? throw new JobFailedException($"The {role} dataset '{datasetId}' no longer exists.");
        var path = Path.Combine(DataDirectory, role + Path.GetExtension(dataset.BlobName));
        await storage.Container(StorageNames.DatasetsContainer).GetBlobClient(dataset.BlobName).DownloadToAsync(path, ct);
        return (path, dataset);
    }
}
