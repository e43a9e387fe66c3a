using Azure;
using Azure.Data.Tables;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Storage;

/// <summary>
/// Job records with optimistic concurrency: every change is a conditional replace on the ETag the writer read,
/// so a runner's claim, its heartbeats and a user's cancel request never overwrite each other.
/// </summary>
public sealed class JobRepository(StorageClients clients)
{
    private const string StatusColumn = "Status";

    private TableClient Table => clients.Table(StorageNames.JobsTable);

    public async Task<JobRecord> CreateAsync(JobRecord record, CancellationToken ct)
    {
        var response = await Table.AddEntityAsync(ToEntity(record), ct);
        return record with { ETag = response.Headers.ETag?.ToString() };
    }

    public async Task<JobRecord?> GetAsync(string owner, string id, CancellationToken ct) =>
        await RecordEntity.GetAsync(Table, StorageNames.OwnerKey(owner), id, ct) is { } entity ? FromEntity(entity) : null;

    public async Task<IReadOnlyList<JobRecord>> ListAsync(string owner, CancellationToken ct)
    {
        var jobs = new List<JobRecord>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {StorageNames.OwnerKey(owner)}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct)) jobs.Add(FromEntity(entity));
        return jobs.OrderBy(j => j.CreatedAt).ToList();
    }

    /// <summary>
    /// Replaces the record if nobody changed it since <paramref name="updated"/>'s ETag was read; returns the
    /// stored record with its new ETag, or null when another writer got there first.
    /// </summary>
    public async Task<JobRecord?> TryReplaceAsync(JobRecord updated, CancellationToken ct)
    {
        if (updated.ETag is null) throw new ArgumentException("The record carries no ETag; read it before changing it.", nameof(updated));
        try
        {
            var response = await Table.UpdateEntityAsync(ToEntity(updated), new ETag(updated.ETag), TableUpdateMode.Replace, ct);
            return updated with { ETag = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException e) when (RecordEntity.IsConflict(e))
        {
            return null;
        }
    }

    /// <summary>
    /// Claims a job for a runner: queued, or running under a lease that has lapsed (its runner died). Conditional
    /// on the ETag of <paramref name="observed"/>, so of two runners that read the same record only one wins.
    /// </summary>
    public Task<JobRecord?> TryClaimAsync(JobRecord observed, string runnerId, TimeSpan lease, DateTimeOffset now, CancellationToken ct)
    {
        var claimable = observed.Status == JobStatus.Queued
            || (observed.Status == JobStatus.Running && !observed.IsLeaseHeldAt(now));
        if (!claimable || observed.CancelRequested) return Task.FromResult<JobRecord?>(null);
        return TryReplaceAsync(observed with
        {
            Status = JobStatus.Running,
            LeaseOwner = runnerId,
            LeaseExpiresAt = now + lease,
            StartedAt = observed.StartedAt ?? now,
            Attempts = observed.Attempts + 1,
        }, ct);
    }

    /// <summary>
    /// Read-modify-write that retries on conflicts. <paramref name="change"/> sees the current record and returns
    /// the new one, or null to leave it as it is. Returns the record as stored afterwards (null if there is none)
    /// and whether the change was applied.
    /// </summary>
    public async Task<(JobRecord? Record, bool Applied)> UpdateAsync(string owner, string id, Func<JobRecord, JobRecord?> change, CancellationToken ct)
    {
        while (true)
        {
            var current = await GetAsync(owner, id, ct);
            if (current is null) return (null, false);
            var wanted = change(current);
            if (wanted is null) return (current, false);
            var stored = await TryReplaceAsync(wanted with { ETag = current.ETag }, ct);
            if (stored is not null) return (stored, true);
        }
    }

    /// <summary>Removes the record whatever its ETag: only finished jobs are deleted, and nobody writes to those.</summary>
    public async Task DeleteAsync(JobRecord record, CancellationToken ct) =>
        await Table.DeleteEntityAsync(StorageNames.OwnerKey(record.Owner), record.Id, cancellationToken: ct);

    private static TableEntity ToEntity(JobRecord record) =>
        RecordEntity.ToEntity(StorageNames.OwnerKey(record.Owner), record.Id, record, (StatusColumn, record.Status.ToString()));

    private static JobRecord FromEntity(TableEntity entity) =>
        RecordEntity.FromEntity<JobRecord>(entity) with { ETag = entity.ETag.ToString() };
}
