using System.Text.Json.Nodes;
using BertPlatform.Shared.Tokenization;
using BertPlatform.TestSupport;

namespace BertPlatform.Shared.Tests.Tokenization;

/// <summary>tokenizer_config.json and vocab.txt: HF defaults, round trips, clear errors.</summary>
public sealed class TokenizerFilesTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tokenizer-tests-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Missing_config_means_hugging_face_defaults()
    {
        var settings = BertTokenizerSettings.Load(Path.Combine(directory, "tokenizer_config.json"));

        Assert.Equal(new BertTokenizerSettings(DoLowerCase: true, StripAccents: true, TokenizeChineseChars: true, ModelMaxLength: 512), settings);
    }

    [Theory]
    [InlineData("""{"do_lower_case": true, "strip_accents": null}""", true, true)]
    [InlineData("""{"do_lower_case": false, "strip_accents": null}""", false, false)]
    [InlineData("""{"do_lower_case": true, "strip_accents": false}""", true, false)]
    [InlineData("""{"do_lower_case": false, "strip_accents": true}""", false, true)]
    [InlineData("""{}""", true, true)]
    public void Null_strip_accents_follows_lower_casing(string json, bool lower, bool strip)
    {
        var settings = Load(json);

        Assert.Equal((lower, strip), (settings.DoLowerCase, settings.StripAccents));
    }

    [Fact]
    public void The_fixture_config_is_cased_and_its_no_limit_sentinel_becomes_512()
    {
        var settings = BertTokenizerSettings.Load(Path.Combine(TestAssets.TinyBert, "tokenizer_config.json"));

        Assert.Equal(new BertTokenizerSettings(DoLowerCase: false, StripAccents: false, TokenizeChineseChars: true, ModelMaxLength: 512), settings);
        Assert.Equal(128, Load("""{"model_max_length": 128, "tokenize_chinese_chars": false}""").ModelMaxLength);
        Assert.False(Load("""{"tokenize_chinese_chars": false}""").TokenizeChineseChars);
    }

    [Theory]
    [InlineData("""{"do_lower_case": "yes"}""", "do_lower_case")]
    [InlineData("""{"model_max_length": "long"}""", "model_max_length")]
    [InlineData("""{"model_max_length": 0}""", "model_max_length")]
    [InlineData("""[1, 2]""", "JSON object")]
    [InlineData("""{"do_lower_case": """, "not valid JSON")]
    public void Bad_config_names_the_file_and_key(string json, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => Load(json));

        Assert.Contains("tokenizer_config.json", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Save_then_load_keeps_settings_and_foreign_keys()
    {
        var path = Path.Combine(directory, "tokenizer_config.json");
        File.WriteAllText(path, """{"custom_key": 7, "do_lower_case": true}""");
        var settings = new BertTokenizerSettings(DoLowerCase: false, StripAccents: true, TokenizeChineseChars: false, ModelMaxLength: 256);

        settings.Save(path);

        Assert.Equal(settings, BertTokenizerSettings.Load(path));
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(7, json["custom_key"]!.GetValue<int>());
        Assert.Equal("BertTokenizer", json["tokenizer_class"]!.GetValue<string>());
        Assert.Equal("[MASK]", json["mask_token"]!.GetValue<string>());
    }

    [Fact]
    public void Save_to_writes_a_directory_that_loads_to_the_same_tokenizer()
    {
        var original = Tokenizers.Multilingual;

        original.SaveTo(directory);
        var reloaded = BertTextTokenizer.Load(directory);

        Assert.Equal(File.ReadAllBytes(Path.Combine(TestAssets.MultilingualVocab, "vocab.txt")), File.ReadAllBytes(Path.Combine(directory, "vocab.txt")));
        Assert.Equal(original.Settings, reloaded.Settings);
        Assert.Equal(original.Encode("Die Straße in München 中国").InputIds, reloaded.Encode("Die Straße in München 中国").InputIds);
    }

    [Fact]
    public void Vocabulary_without_a_special_token_is_rejected_by_name()
    {
        var vocab = Path.Combine(directory, "vocab.txt");
        File.WriteAllLines(vocab, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello"]);

        var error = Assert.Throws<InvalidDataException>(() => BertTextTokenizer.Create(vocab, BertTokenizerSettings.HuggingFaceDefaults));

        Assert.Contains("[MASK]", error.Message);
        Assert.Contains(vocab, error.Message);
    }

    [Fact]
    public void Missing_vocabulary_is_reported_with_its_path()
    {
        var error = Assert.Throws<FileNotFoundException>(() => BertTextTokenizer.Load(directory));

        Assert.Contains(Path.Combine(directory, "vocab.txt"), error.Message);
    }

    [Fact]
    public void Special_ids_are_read_from_the_vocabulary()
    {
        var vocab = Path.Combine(directory, "vocab.txt");
        File.WriteAllLines(vocab, ["hello", "[MASK]", "[SEP]", "[CLS]", "[UNK]", "[PAD]", "world"]);

        var tokenizer = BertTextTokenizer.Create(vocab, BertTokenizerSettings.HuggingFaceDefaults);

        Assert.Equal((5, 4, 3, 2, 1), (tokenizer.PadTokenId, tokenizer.UnkTokenId, tokenizer.ClsTokenId, tokenizer.SepTokenId, tokenizer.MaskTokenId));
        Assert.Equal([3, 0, 1, 6, 4, 2], tokenizer.Encode("Hello [MASK] world zzz").InputIds);
        Assert.Equal(7, tokenizer.VocabSize);
        Assert.Equal("world", tokenizer.Vocabulary[6]);
    }

    private BertTokenizerSettings Load(string json)
    {
        var path = Path.Combine(directory, "tokenizer_config.json");
        File.WriteAllText(path, json);
        return BertTokenizerSettings.Load(path);
    }
}
