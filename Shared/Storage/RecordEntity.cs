using Azure;
using Azure.Data.Tables;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Shared.Storage;

/// <summary>
/// Records are stored as JSON in the entity, so adding a field to a record needs no table migration; the keys (owner,
/// id) and the few properties worth filtering on sit beside it. Table Storage caps a string property at 64 KiB of
/// UTF-16 (32 Ki characters) but an entity at 1 MiB, and a job's record can outgrow one property (a report and metrics
/// per validation set and per language), so the JSON is split over <c>Json</c>, <c>Json1</c>, <c>Json2</c>, … in order.
/// </summary>
internal static class RecordEntity
{
    public const string JsonProperty = "Json";

    /// <summary>Characters per property: 32 Ki UTF-16 code units is the service's 64 KiB limit.</summary>
    public const int MaxCharactersPerProperty = 32 * 1024;

    /// <summary>Properties the JSON may take: 15 × 64 KiB stays under the entity's 1 MiB with the keys and columns beside it.</summary>
    public const int MaxJsonProperties = 15;

    public static TableEntity ToEntity<T>(string partitionKey, string rowKey, T record, params (string Name, object Value)[] columns)
    {
        var json = PlatformJson.Serialize(record);
        var entity = new TableEntity(partitionKey, rowKey);
        var (start, part) = (0, 0);
        do
        {
            if (part == MaxJsonProperties)
                throw new InvalidOperationException(
                    $"The {typeof(T).Name} '{rowKey}' is {json.Length:N0} characters of JSON; a table entity holds about {MaxJsonProperties * MaxCharactersPerProperty:N0}.");
            var length = Math.Min(MaxCharactersPerProperty, json.Length - start);
            // A surrogate pair split between two properties would leave two invalid strings: end this part before it.
            // (PlatformJson escapes non-ASCII today, so none occurs raw; this keeps the parts valid if that changes.)
            if (start + length < json.Length && char.IsHighSurrogate(json[start + length - 1])) length--;
            entity[PropertyName(part++)] = json.Substring(start, length);
            start += length;
        }
        while (start < json.Length);
        foreach (var (name, value) in columns) entity[name] = value;
        return entity;
    }

    public static T FromEntity<T>(TableEntity entity)
    {
        var json = new System.Text.StringBuilder(entity.GetString(JsonProperty));
        for (var part = 1; entity.TryGetValue(PropertyName(part), out var more) && more is string text; part++) json.Append(text);
        return PlatformJson.Deserialize<T>(json.ToString());
    }

    private static string PropertyName(int part) => part == 0 ? JsonProperty : JsonProperty + part.ToString(System.Globalization.CultureInfo.InvariantCulture);

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
