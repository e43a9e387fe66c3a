using Azure.Data.Tables;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Storage;

/// <summary>Published model records, partitioned by owner.</summary>
public sealed class ModelRepository(StorageClients clients)
{
    private TableClient Table => clients.Table(StorageNames.ModelsTable);

    /// <summary>Insert or replace: a job that is retried after publishing but before finishing publishes again.</summary>
    public async Task SaveAsync(ModelRecord record, CancellationToken ct) =>
        await Table.UpsertEntityAsync(RecordEntity.ToEntity(StorageNames.OwnerKey(record.Owner), record.Id, record), TableUpdateMode.Replace, ct);

    public async Task<ModelRecord?> GetAsync(string owner, string id, CancellationToken ct) =>
        await RecordEntity.GetAsync(Table, StorageNames.OwnerKey(owner), id, ct) is { } entity
            ? RecordEntity.FromEntity<ModelRecord>(entity)
            : null;

    public async Task<IReadOnlyList<ModelRecord>> ListAsync(string owner, CancellationToken ct) =>
        (await RecordEntity.ListAsync<ModelRecord>(Table, StorageNames.OwnerKey(owner), ct)).OrderBy(m => m.CreatedAt).ToList();

    public async Task DeleteAsync(ModelRecord record, CancellationToken ct) =>
        await Table.DeleteEntityAsync(StorageNames.OwnerKey(record.Owner), record.Id, cancellationToken: ct);
}
