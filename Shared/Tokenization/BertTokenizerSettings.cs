using System.Text.Json;
using System.Text.Json.Nodes;

namespace BertPlatform.Shared.Tokenization;

/// <summary>
/// The BERT tokenizer options Hugging Face keeps in <c>tokenizer_config.json</c>. <see cref="StripAccents"/> is
/// already resolved: HF's <c>strip_accents: null</c> means "strip when lower-casing".
/// </summary>
public sealed record BertTokenizerSettings(bool DoLowerCase, bool StripAccents, bool TokenizeChineseChars, int ModelMaxLength = 512)
{
    public const string FileName = "tokenizer_config.json";

    /// <summary>Hugging Face's defaults for a BertTokenizer without a config file (uncased).</summary>
    public static BertTokenizerSettings HuggingFaceDefaults { get; } = new(DoLowerCase: true, StripAccents: true, TokenizeChineseChars: true);

    /// <summary>
    /// Reads HF keys <c>do_lower_case</c>, <c>strip_accents</c>, <c>tokenize_chinese_chars</c>, <c>model_max_length</c>;
    /// a missing file or key takes HF's default. HF writes a huge sentinel (1e30) for "no limit"; BERT's position
    /// table still caps real inputs, so such values (and anything beyond int) fall back to 512.
    /// </summary>
    public static BertTokenizerSettings Load(string tokenizerConfigPath)
    {
        if (!File.Exists(tokenizerConfigPath)) return HuggingFaceDefaults;
        JsonObject config;
        try
        {
            config = JsonNode.Parse(File.ReadAllText(tokenizerConfigPath)) as JsonObject
                ?? throw new InvalidDataException($"{tokenizerConfigPath}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{tokenizerConfigPath}: not valid JSON ({e.Message}).", e);
        }

        var doLowerCase = ReadBool(config, "do_lower_case", tokenizerConfigPath) ?? true;
        var stripAccents = ReadBool(config, "strip_accents", tokenizerConfigPath) ?? doLowerCase;
        var chinese = ReadBool(config, "tokenize_chinese_chars", tokenizerConfigPath) ?? true;
        return new BertTokenizerSettings(doLowerCase, stripAccents, chinese, ReadMaxLength(config, tokenizerConfigPath));
    }

    /// <summary>Writes an HF-compatible <c>tokenizer_config.json</c>, keeping keys of an existing file it does not own.</summary>
    public void Save(string tokenizerConfigPath)
    {
        JsonObject config = File.Exists(tokenizerConfigPath) && JsonNode.Parse(File.ReadAllText(tokenizerConfigPath)) is JsonObject existing
            ? existing
            : new JsonObject();
        config["tokenizer_class"] = "BertTokenizer";
        config["do_lower_case"] = DoLowerCase;
        config["strip_accents"] = StripAccents;
        config["tokenize_chinese_chars"] = TokenizeChineseChars;
        config["do_basic_tokenize"] = true;
        config["model_max_length"] = ModelMaxLength;
        config["unk_token"] = SpecialTokens.Unknown;
        config["sep_token"] = SpecialTokens.Separator;
        config["pad_token"] = SpecialTokens.Padding;
        config["cls_token"] = SpecialTokens.Classifier;
        config["mask_token"] = SpecialTokens.Mask;
        File.WriteAllText(tokenizerConfigPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static bool? ReadBool(JsonObject config, string key, string path)
    {
        var node = config[key];
        if (node is null) return null;
        if (node.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return node.GetValue<bool>();
        throw new InvalidDataException($"{path}: \"{key}\" must be true, false or null, not {node.ToJsonString()}.");
    }

    private static int ReadMaxLength(JsonObject config, string path)
    {
        var node = config["model_max_length"];
        if (node is null) return 512;
        if (node.GetValueKind() != JsonValueKind.Number)
            throw new InvalidDataException($"{path}: \"model_max_length\" must be a number, not {node.ToJsonString()}.");
        var value = node.GetValue<double>();
        if (value < 1) throw new InvalidDataException($"{path}: \"model_max_length\" must be positive, not {value}.");
        return value > int.MaxValue ? 512 : (int)value;
    }
}
