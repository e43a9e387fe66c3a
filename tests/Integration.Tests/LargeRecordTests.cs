using Azure.Data.Tables;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Storage;

namespace BertPlatform.Integration.Tests;

/// <summary>
/// A job's record grows with its report and with metrics per validation set and per language: past one table
/// property's 64 KiB it is stored over several, and it reads back whole, on a real Table service.
/// </summary>
[Collection("platform")]
public sealed class LargeRecordTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_job_record_larger_than_one_table_property_is_stored_and_read_back_whole()
    {
        // 15 sets × 15 languages × 8 figures, and non-ASCII names as a cross-lingual job has them.
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var set = 0; set < 15; set++)
            for (var language = 0; language < 15; language++)
                foreach (var metric in new[] { "accuracy", "f1", "precision", "recall", "matthews", "loss", "count", "zh-测试" })
                    metrics[$"xnli-{set}/lang/l{language}/{metric}"] = set * 1000 + language + metric.Length / 10.0;
        var jobs = new JobRepository(platform.Storage);
        var created = await jobs.CreateAsync(new JobRecord
        {
            Id = "large-" + Guid.NewGuid().ToString("N")[..8], Owner = "large-record-tests", Spec = new JobSpec { TrainingDataset = "ds-none" },
            Metrics = metrics,
        }, CancellationToken.None);

        var entity = (await platform.Storage.Table(StorageNames.JobsTable)
            .GetEntityAsync<TableEntity>(StorageNames.OwnerKey(created.Owner), created.Id)).Value;
        var parts = entity.Keys.Where(k => k.StartsWith("Json", StringComparison.Ordinal)).ToList();
        Assert.True(parts.Count > 1, $"the record took {parts.Count} properties");
        Assert.All(parts, k => Assert.True(entity.GetString(k).Length <= 32 * 1024, $"{k} has {entity.GetString(k).Length} characters"));

        var read = await jobs.GetAsync(created.Owner, created.Id, CancellationToken.None);
        Assert.Equal(metrics.Count, read!.Metrics!.Count);
        Assert.Equal(metrics.OrderBy(m => m.Key, StringComparer.Ordinal), read.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal));

        // The reason for the parts: the service refuses one property of that size.
        var whole = new TableEntity("large-record-tests", "one-property-" + Guid.NewGuid().ToString("N")[..8]) { ["Json"] = string.Concat(parts.Select(entity.GetString)) };
        var refused = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => platform.Storage.Table(StorageNames.JobsTable).AddEntityAsync(whole));
        Assert.Equal(400, refused.Status);

        // A later, smaller version replaces every part: no stale tail is appended to it.
        var (updated, applied) = await jobs.UpdateAsync(created.Owner, created.Id, j => j with { Metrics = new Dictionary<string, double> { ["accuracy"] = 0.5 } }, CancellationToken.None);
        Assert.True(applied);
        var small = await jobs.GetAsync(created.Owner, created.Id, CancellationToken.None);
        Assert.Equal(0.5, Assert.Single(small!.Metrics!).Value);
        Assert.Single(updated!.Metrics!);
    }
}
