using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Storage;

namespace BertPlatform.Functions.Jobs;

/// <summary>
/// The owner's queued or running jobs that read a dataset or a model: deleting either under them would fail the job
/// at its next download (or its next retry), long after the delete was answered.
/// </summary>
public static class ActiveJobs
{
    public static async Task<JobRecord?> UsingDatasetAsync(JobRepository jobs, string owner, string datasetId, CancellationToken ct) =>
        (await jobs.ListAsync(owner, ct)).FirstOrDefault(job => !job.Status.IsFinal()
            && (job.Spec.TrainingDataset == datasetId || job.Spec.ValidationDataset == datasetId
                || job.Spec.ValidationSets?.Any(set => set.Dataset == datasetId) == true));

    public static async Task<JobRecord?> UsingModelAsync(JobRepository jobs, string owner, string modelId, CancellationToken ct) =>
        (await jobs.ListAsync(owner, ct)).FirstOrDefault(job => !job.Status.IsFinal() && job.Spec.BaseModel == "model:" + modelId);

    public static string InUse(string what, string id, JobRecord job) =>
        $"The {what} '{id}' is used by job '{job.Id}', which is {PlatformJson.Serialize(job.Status).Trim('"')}; cancel the job or wait for it to finish, then delete the {what}.";
}
