using System.Collections.Concurrent;
using Azure;
using BertPlatform.Shared.Storage;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Functions.Insight;

/// <summary>
/// The tokenizer of a base model (<c>models/base/{name}/</c>) or of a model the caller trained (<c>model:{id}</c>),
/// loaded from its own vocab.txt and tokenizer_config.json. Kept per vocabulary blob version, so a reseeded base
/// model is read again while repeated reports load nothing.
/// </summary>
public sealed class BaseModelTokenizers(StorageClients storage, ModelRepository models)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<BertTextTokenizer>>> loaded = new(StringComparer.Ordinal);

    /// <summary>Null with the reason when the model or its vocabulary does not exist.</summary>
    public async Task<(BertTextTokenizer? Tokenizer, string? Problem)> GetAsync(string owner, string baseModel, CancellationToken ct)
    {
        string prefix;
        if (baseModel.StartsWith("model:", StringComparison.Ordinal))
        {
            var id = baseModel["model:".Length..];
            if (await models.GetAsync(owner, id, ct) is not { } model) return (null, $"There is no model '{id}' that you own.");
            prefix = model.BlobPrefix;
        }
        else prefix = StorageNames.BaseModelPrefix(baseModel);

        var container = storage.Container(StorageNames.ModelsContainer);
        var vocab = container.GetBlobClient(prefix + BertTextTokenizer.VocabularyFileName);
        ETag version;
        try
        {
            version = (await vocab.GetPropertiesAsync(cancellationToken: ct)).Value.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (null, $"Base model '{baseModel}' has no vocabulary (models/{prefix}{BertTextTokenizer.VocabularyFileName}); seed it with 'GpuRunner seed-base-model'.");
        }
        var entry = loaded.GetOrAdd(prefix + "@" + version, _ => new(() => LoadAsync(prefix)));
        try
        {
            return (await entry.Value, null);
        }
        catch
        {
            // A failed load (a blob replaced mid-way) must not stay cached.
            loaded.TryRemove(prefix + "@" + version, out _);
            throw;
        }
    }

    private async Task<BertTextTokenizer> LoadAsync(string prefix)
    {
        var container = storage.Container(StorageNames.ModelsContainer);
        var directory = Directory.CreateTempSubdirectory("bert-tokenizer-");
        try
        {
            await container.GetBlobClient(prefix + BertTextTokenizer.VocabularyFileName)
                .DownloadToAsync(Path.Combine(directory.FullName, BertTextTokenizer.VocabularyFileName));
            var config = container.GetBlobClient(prefix + BertTokenizerSettings.FileName);
            if ((await config.ExistsAsync()).Value) await config.DownloadToAsync(Path.Combine(directory.FullName, BertTokenizerSettings.FileName));
            return BertTextTokenizer.Load(directory.FullName);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
