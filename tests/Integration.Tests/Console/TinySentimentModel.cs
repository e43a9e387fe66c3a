using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Tasks;
using BertPlatform.Shared.Storage;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Integration.Tests.Console;

/// <summary>
/// A two-layer BERT over a 29-word vocabulary, seeded as a base model, and review CSVs it learns in seconds on a
/// CPU: enough for a real job whose loss curve, checkpoints and published files the console shows.
/// </summary>
public static class TinySentimentModel
{
    private static readonly string[] positive = ["great", "lovely", "superb", "excellent", "wonderful", "perfect"];
    private static readonly string[] negative = ["awful", "terrible", "broken", "horrible", "dreadful", "useless"];
    private static readonly string[] filler = ["the", "a", "product", "service", "was", "really", "quite", "today", "and", "our", "room", "food"];

    /// <summary>Seeds the model as base model <paramref name="name"/>; the end-to-end tests use a wider one (64 × 4 heads).</summary>
    public static async Task SeedAsync(PlatformFixture platform, string name, int hiddenSize = 32, int heads = 2)
    {
        var directory = Directory.CreateTempSubdirectory("tiny-sentiment-").FullName;
        try
        {
            var vocabulary = Path.Combine(directory, "vocab.txt");
            await File.WriteAllLinesAsync(vocabulary, new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }.Concat(filler).Concat(positive).Concat(negative));
            var config = new BertConfig
            {
                VocabSize = 5 + filler.Length + positive.Length + negative.Length,
                HiddenSize = hiddenSize, NumHiddenLayers = 2, NumAttentionHeads = heads, IntermediateSize = 2 * hiddenSize, MaxPositionEmbeddings = 64,
            };
            var model = Path.Combine(directory, "base");
            BaseModelFactory.Create(model, config, vocabulary, new BertTokenizerSettings(false, false, true), seed: 1);
            var storage = platform.Storage;
            await new StorageInitializer(storage).EnsureCreatedAsync(CancellationToken.None);
            await BlobFolders.UploadAsync(model, storage.Container(StorageNames.ModelsContainer), StorageNames.BaseModelPrefix(name), CancellationToken.None);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Reviews whose one sentiment word decides the label, among random filler words.</summary>
    public static string Reviews(int rows, int seed) => "text,label\n" + string.Concat(ReviewRows(seed).Take(rows));

    /// <summary>
    /// Endless review rows (<c>text,label\n</c>, alternately positive and negative), the same for a seed: a source for
    /// files of any size, generated as they are written.
    /// </summary>
    public static IEnumerable<string> ReviewRows(int seed)
    {
        var random = new Random(seed);
        var words = new List<string>(9);
        for (var i = 0L; ; i++)
        {
            var good = i % 2 == 0;
            words.Clear();
            var count = random.Next(4, 9);
            for (var w = 0; w < count; w++) words.Add(filler[random.Next(filler.Length)]);
            var sentiment = good ? positive : negative;
            words.Insert(random.Next(words.Count), sentiment[random.Next(sentiment.Length)]);
            yield return string.Join(' ', words) + (good ? ",positive\n" : ",negative\n");
        }
    }
}
