using BertPlatform.Functions.Predictions;
using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Export;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Storage;
using BertPlatform.Shared.Tokenization;
using BertPlatform.TestSupport;
using Microsoft.Extensions.Options;

namespace BertPlatform.Integration.Tests;

/// <summary>The predict endpoint's per-instance model cache on Azurite: models stay loaded, the byte bound evicts the
/// least recently used, and an evicted model still serves the request that holds it.</summary>
[Collection("platform")]
public sealed class ModelSessionCacheTests(PlatformFixture platform)
{
    [Fact]
    public async Task The_byte_bound_evicts_the_least_recently_used_model_but_never_one_in_use()
    {
        var seqcls = await PublishAsync("seqcls");
        var tokcls = await PublishAsync("tokcls");
        // Room for one model only.
        var bytes = await platform.Storage.Container(StorageNames.ModelsContainer).GetBlobClient(seqcls.BlobPrefix + ModelSessionCache.OnnxFile).GetPropertiesAsync();
        using var cache = new ModelSessionCache(platform.Storage, Options.Create(new PredictionOptions { ModelCacheBytes = bytes.Value.ContentLength + 1 }));

        var held = await cache.AcquireAsync(seqcls, CancellationToken.None);
        using (await cache.AcquireAsync(seqcls, CancellationToken.None)) Assert.Equal(1, cache.Loads); // warm: no second load
        using (await cache.AcquireAsync(tokcls, CancellationToken.None)) Assert.Equal(2, cache.Loads); // evicts seqcls
        // The evicted session still runs for the request that holds it.
        var encoding = held.Session.Tokenizer.Encode("hello world");
        Assert.NotEmpty(held.Session.Run([[encoding]], choices: false, "logits").Outputs["logits"]);
        held.Dispose();
        using (await cache.AcquireAsync(seqcls, CancellationToken.None)) Assert.Equal(3, cache.Loads); // loaded again
        using (await cache.AcquireAsync(seqcls, CancellationToken.None)) Assert.Equal(3, cache.Loads);
    }

    /// <summary>A tiny-bert head published as a job would publish it: weights, model.onnx and tokenizer files.</summary>
    private async Task<ModelRecord> PublishAsync(string head)
    {
        var folder = Directory.CreateTempSubdirectory("cache-model-").FullName;
        try
        {
            var source = Path.Combine(TestAssets.TinyBert, "heads", head);
            foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            BertTextTokenizer.Load(TestAssets.TinyBert).SaveTo(folder);
            var (model, _) = HuggingFaceCheckpoint.FromPretrained(folder);
            using (model)
            {
                model.eval();
                BertOnnxExporter.Export(model, Path.Combine(folder, BertOnnxExporter.FileName));
            }
            var id = $"cache-{head}-{Guid.NewGuid():N}";
            var prefix = StorageNames.TrainedModelPrefix(id);
            await BlobFolders.UploadAsync(folder, platform.Storage.Container(StorageNames.ModelsContainer), prefix, CancellationToken.None);
            return new ModelRecord { Id = id, Owner = "cache-test", JobId = id, Task = TaskType.TextClassification, BaseModel = "tiny-bert", BlobPrefix = prefix };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
