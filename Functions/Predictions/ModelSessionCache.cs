using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Inference;
using BertPlatform.Shared.Storage;
using BertPlatform.Shared.Tokenization;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace BertPlatform.Functions.Predictions;

/// <summary>
/// The models this instance has loaded, keyed by owner and model id, bounded by the total size of their ONNX files:
/// loading one past the bound evicts the least recently used. A session is disposed once evicted AND no request
/// still uses it, so eviction never pulls a session from under a running prediction.
/// </summary>
public sealed class ModelSessionCache(StorageClients storage, IOptions<PredictionOptions> options) : IDisposable
{
    public const string OnnxFile = "model.onnx";
    private static readonly string[] TokenizerFiles = [BertTextTokenizer.VocabularyFileName, BertTokenizerSettings.FileName];

    private readonly Lock gate = new();
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim loading = new(1, 1);
    private long clock;

    /// <summary>Models loaded since start (cold loads), for the report and tests.</summary>
    public int Loads { get; private set; }

    public async Task<Lease> AcquireAsync(ModelRecord model, CancellationToken ct)
    {
        var key = model.Owner + "/" + model.Id;
        if (TryLease(key) is { } warm) return warm;
        // One load at a time: two requests for a cold model must not both download it.
        await loading.WaitAsync(ct);
        try
        {
            if (TryLease(key) is { } loadedMeanwhile) return loadedMeanwhile;
            var session = await LoadAsync(model, ct);
            lock (gate)
            {
                var entry = new Entry(session) { LastUsed = ++clock, Users = 1 };
                entries[key] = entry;
                Loads++;
                EvictOverBound(key);
                return new Lease(this, entry);
            }
        }
        finally
        {
            loading.Release();
        }
    }

    private Lease? TryLease(string key)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(key, out var entry)) return null;
            entry.LastUsed = ++clock;
            entry.Users++;
            return new Lease(this, entry);
        }
    }

    private void EvictOverBound(string keep)
    {
        var bound = options.Value.ModelCacheBytes;
        while (entries.Values.Sum(e => e.Session.Bytes) > bound && entries.Count > 1)
        {
            var (key, oldest) = entries.Where(e => e.Key != keep).MinBy(e => e.Value.LastUsed);
            entries.Remove(key);
            oldest.Evicted = true;
            if (oldest.Users == 0) oldest.Session.Dispose();
        }
    }

    private void Release(Entry entry)
    {
        lock (gate)
        {
            entry.Users--;
            if (entry.Evicted && entry.Users == 0) entry.Session.Dispose();
        }
    }

    private async Task<OnnxBertSession> LoadAsync(ModelRecord model, CancellationToken ct)
    {
        var container = storage.Container(StorageNames.ModelsContainer);
        var folder = Directory.CreateTempSubdirectory("predict-model-").FullName;
        try
        {
            foreach (var file in TokenizerFiles)
                await container.GetBlobClient(model.BlobPrefix + file).DownloadToAsync(Path.Combine(folder, file), ct);
            var tokenizer = BertTextTokenizer.Load(folder);
            var config = PublishedModelConfig.Parse((await container.GetBlobClient(model.BlobPrefix + "config.json").DownloadContentAsync(ct)).Value.Content.ToString());
            var onnx = (await container.GetBlobClient(model.BlobPrefix + OnnxFile).DownloadContentAsync(ct)).Value.Content.ToArray();
            using var sessionOptions = new SessionOptions { IntraOpNumThreads = options.Value.IntraOpThreads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
            return new OnnxBertSession(new InferenceSession(onnx, sessionOptions), tokenizer, config, onnx.LongLength);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var entry in entries.Values) entry.Session.Dispose();
            entries.Clear();
        }
        loading.Dispose();
    }

    internal sealed class Entry(OnnxBertSession session)
    {
        public OnnxBertSession Session { get; } = session;
        public long LastUsed { get; set; }
        public int Users { get; set; }
        public bool Evicted { get; set; }
    }

    /// <summary>A model in use by one request; disposing it ends the use.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly ModelSessionCache cache;
        private readonly Entry entry;
        private int released;

        internal Lease(ModelSessionCache cache, Entry entry) => (this.cache, this.entry) = (cache, entry);

        public OnnxBertSession Session => entry.Session;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) cache.Release(entry);
        }
    }
}
