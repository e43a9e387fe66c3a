using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.GpuRunner.Tests.Training;

/// <summary>
/// A small topic-classification problem a tiny BERT learns in seconds: sentences mix words of their topic with
/// shared filler words, and every word is in the vocabulary, so nothing hides behind [UNK].
/// </summary>
public static class SyntheticTextClassification
{
    public static readonly string[] Topics = ["sport", "weather", "music"];

    private static readonly string[][] topicWords =
    [
        ["goal", "match", "team", "score", "coach", "league", "striker", "referee"],
        ["rain", "sunny", "cloud", "storm", "wind", "forecast", "snow", "thunder"],
        ["guitar", "song", "album", "concert", "melody", "drum", "singer", "chorus"],
    ];

    private static readonly string[] filler = ["the", "a", "today", "we", "saw", "big", "new", "very", "and", "was", "after", "again"];

    public static List<TextClassificationExample> Examples(int count, int seed)
    {
        var random = new Random(seed);
        var examples = new List<TextClassificationExample>(count);
        for (var row = 1; row <= count; row++)
        {
            var topic = random.Next(Topics.Length);
            var length = random.Next(4, 12);
            var words = Enumerable.Range(0, length).Select(i =>
                i % 3 == 0 ? topicWords[topic][random.Next(topicWords[topic].Length)] : filler[random.Next(filler.Length)]);
            examples.Add(new TextClassificationExample(row, string.Join(' ', words), null, [Topics[topic]]));
        }
        return examples;
    }

    /// <summary>Writes vocab.txt (specials first, then every word) and a cased tokenizer_config.json.</summary>
    public static BertTextTokenizer WriteTokenizer(string directory)
    {
        Directory.CreateDirectory(directory);
        var tokens = new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }.Concat(filler).Concat(topicWords.SelectMany(w => w));
        File.WriteAllLines(Path.Combine(directory, "vocab.txt"), tokens);
        new BertTokenizerSettings(DoLowerCase: false, StripAccents: false, TokenizeChineseChars: true).Save(Path.Combine(directory, "tokenizer_config.json"));
        return BertTextTokenizer.Load(directory);
    }
}
