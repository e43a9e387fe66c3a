using Azure;
using Azure.Data.Tables;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Storage;

/// <summary>
/// Records are stored as one JSON property per entity, so adding a field to a record needs no table migration;
/// the keys (owner, id) and the few properties worth filtering on sit beside it.
/// </summary>
internal static class RecordEntity
{
    public const string JsonProperty = "Json";

    public static TableEntity ToEntity<T>(string partitionKey, string rowKey, T record, params (string Name, object Value)[] columns)
    {
        var entity = new TableEntity(partitionKey, rowKey) { [JsonProperty] = PlatformJson.Serialize(record) };
        foreach (var (name, value) in columns) entity[name] = value;
        return entity;
    }

    public static T FromEntity<T>(TableEntity entity) => PlatformJson.Deserialize<T>(entity.GetString(JsonProperty));

    public static async Task<TableEntity?> GetAsync(TableClient table, string partitionKey, string rowKey, CancellationToken ct)
    {
        // Table keys cannot hold these characters, so no record has such a key; asking the service would only fail.
        if (!IsStorableKey(partitionKey) || !IsStorableKey(rowKey)) return null;
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: ct);
        return response.HasValue ? response.Value : null;
    }

    public static async Task<List<T>> ListAsync<T>(TableClient table, string partitionKey, CancellationToken ct)
    {
        var records = new List<T>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"), cancellationToken: ct))
            records.Add(FromEntity<T>(entity));
        return records;
    }

    /// <summary>Table Storage forbids '/', '\\', '#', '?' and control characters in keys, and limits them to 1 KiB.</summary>
    public static bool IsStorableKey(string key) =>
        key.Length is > 0 and <= 512 && !key.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));

    public static bool IsConflict(RequestFailedException e) => e.Status is 409 or 412;
}
