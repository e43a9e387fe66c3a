using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Storage;

/// <summary>
/// A job's ordered timeline in the <c>jobevents</c> table: partition = job id, row key = the sequence number
/// zero-padded, so the table's own key order is the event order. Writers (the API and whichever runner holds
/// the job) insert the next number; an insert that collides re-reads the end of the log and takes the next one.
/// </summary>
public sealed class JobEventLog(StorageClients clients, TimeProvider time)
{
    private const string SequenceFormat = "D12";

    private readonly ConcurrentDictionary<string, long> lastSequence = new(StringComparer.Ordinal);

    private TableClient Table => clients.Table(StorageNames.JobEventsTable);

    public async Task<JobEvent> AppendAsync(string jobId, JobEventKind kind, string message, double? fraction = null,
        IReadOnlyDictionary<string, double>? metrics = null, CancellationToken ct = default)
    {
        var next = lastSequence.TryGetValue(jobId, out var known) ? known + 1 : await LastSequenceAsync(jobId, ct) + 1;
        while (true)
        {
            var entry = new JobEvent
            {
                JobId = jobId, Sequence = next, Timestamp = time.GetUtcNow(), Kind = kind.WireName(), Message = message,
                Fraction = fraction, Metrics = metrics,
            };
            try
            {
                await Table.AddEntityAsync(RecordEntity.ToEntity(jobId, RowKey(next), entry), ct);
                lastSequence[jobId] = next;
                return entry;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                next = await LastSequenceAsync(jobId, ct) + 1;
            }
        }
    }

    /// <summary>The job's events in order, optionally only those after a sequence number the caller has seen.</summary>
    public async Task<IReadOnlyList<JobEvent>> ListAsync(string jobId, long after, CancellationToken ct)
    {
        var events = new List<JobEvent>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {jobId} and RowKey gt {RowKey(after)}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            events.Add(RecordEntity.FromEntity<JobEvent>(entity));
        return events.OrderBy(e => e.Sequence).ToList();
    }

    /// <summary>Deletes the job's whole timeline (its partition), in batches of the table's transaction limit.</summary>
    public async Task DeleteAllAsync(string jobId, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {jobId}");
        var batch = new List<TableTransactionAction>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: ct))
        {
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity, ETag.All));
            if (batch.Count == 100)
            {
                await Table.SubmitTransactionAsync(batch, ct);
                batch.Clear();
            }
        }
        if (batch.Count > 0) await Table.SubmitTransactionAsync(batch, ct);
        lastSequence.TryRemove(jobId, out _);
    }

    private async Task<long> LastSequenceAsync(string jobId, CancellationToken ct)
    {
        long last = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {jobId}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct))
            last = Math.Max(last, long.Parse(entity.RowKey, CultureInfo.InvariantCulture));
        return last;
    }

    private static string RowKey(long sequence) => sequence.ToString(SequenceFormat, CultureInfo.InvariantCulture);
}
