using Azure.Data.Tables;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Storage;

/// <summary>Dataset records, partitioned by owner so that one owner's queries never see another's.</summary>
public sealed class DatasetRepository(StorageClients clients)
{
    private TableClient Table => clients.Table(StorageNames.DatasetsTable);

    public async Task AddAsync(DatasetRecord record, CancellationToken ct) =>
        await Table.AddEntityAsync(RecordEntity.ToEntity(StorageNames.OwnerKey(record.Owner), record.Id, record), ct);

    public async Task<DatasetRecord?> GetAsync(string owner, string id, CancellationToken ct) =>
        await RecordEntity.GetAsync(Table, StorageNames.OwnerKey(owner), id, ct) is { } entity
            ? RecordEntity.FromEntity<DatasetRecord>(entity)
            : null;

    public async Task<IReadOnlyList<DatasetRecord>> ListAsync(string owner, CancellationToken ct) =>
        (await RecordEntity.ListAsync<DatasetRecord>(Table, StorageNames.OwnerKey(owner), ct)).OrderBy(d => d.CreatedAt).ToList();

    /// <summary>
    /// Writes a changed record (a direct upload moving through its statuses); false when the record is gone (its
    /// owner deleted it meanwhile), which must not bring it back.
    /// </summary>
    public async Task<bool> ReplaceAsync(DatasetRecord record, CancellationToken ct)
    {
        try
        {
            await Table.UpdateEntityAsync(RecordEntity.ToEntity(StorageNames.OwnerKey(record.Owner), record.Id, record), Azure.ETag.All, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    public async Task DeleteAsync(DatasetRecord record, CancellationToken ct) =>
        await Table.DeleteEntityAsync(StorageNames.OwnerKey(record.Owner), record.Id, cancellationToken: ct);
}
