using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BertPlatform.GpuRunner.Modeling;

/// <summary>
/// The Hugging Face <c>config.json</c> of a BERT model. Keys this class does not model (model_type,
/// transformers_version, torch_dtype, ...) are kept as read so a load/save round-trip loses nothing.
/// </summary>
public sealed class BertConfig
{
    private JsonObject unknownKeys = new();
    private int numLabels = 2; // transformers' PretrainedConfig default when no id2label is given

    public int VocabSize { get; set; } = 30522;
    public int HiddenSize { get; set; } = 768;
    public int NumHiddenLayers { get; set; } = 12;
    public int NumAttentionHeads { get; set; } = 12;
    public int IntermediateSize { get; set; } = 3072;
    public int MaxPositionEmbeddings { get; set; } = 512;
    public int TypeVocabSize { get; set; } = 2;
    public int PadTokenId { get; set; }
    public string HiddenAct { get; set; } = "gelu";
    public double HiddenDropoutProb { get; set; } = 0.1;
    public double AttentionProbsDropoutProb { get; set; } = 0.1;
    /// <summary>Dropout before the classifier of sequence/token classification; null means HiddenDropoutProb.</summary>
    public double? ClassifierDropout { get; set; }
    public double InitializerRange { get; set; } = 0.02;
    public double LayerNormEps { get; set; } = 1e-12;
    public List<string>? Architectures { get; set; }
    public Dictionary<string, string>? Id2Label { get; set; }
    public Dictionary<string, int>? Label2Id { get; set; }
    public string? ProblemType { get; set; }

    /// <summary>
    /// The number of labels; transformers derives it from id2label. Setting a different count replaces the
    /// label maps with LABEL_0..LABEL_n-1, as transformers' <c>num_labels</c> setter does.
    /// </summary>
    public int NumLabels
    {
        get => Id2Label?.Count ?? numLabels;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "num_labels must be at least 1.");
            numLabels = value;
            if (Id2Label is not null && Id2Label.Count == value) return;
            Id2Label = Enumerable.Range(0, value).ToDictionary(i => i.ToString(CultureInfo.InvariantCulture), i => $"LABEL_{i}");
            Label2Id = Id2Label.ToDictionary(kv => kv.Value, kv => int.Parse(kv.Key, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The label names in id order (id2label["0"], id2label["1"], ...).</summary>
    public IReadOnlyList<string> LabelNames =>
        Enumerable.Range(0, NumLabels).Select(i => Id2Label is not null && Id2Label.TryGetValue(i.ToString(CultureInfo.InvariantCulture), out var name) ? name : $"LABEL_{i}").ToList();

    public int HeadSize => HiddenSize / NumAttentionHeads;

    /// <summary>bert-base-multilingual-cased: 119,547 WordPiece vocabulary, 12 x 768, 12 heads, 3072 FFN.</summary>
    public static BertConfig MultilingualBaseCased => new()
    {
        VocabSize = 119547, HiddenSize = 768, NumHiddenLayers = 12, NumAttentionHeads = 12, IntermediateSize = 3072,
        MaxPositionEmbeddings = 512, TypeVocabSize = 2, PadTokenId = 0, InitializerRange = 0.02, LayerNormEps = 1e-12,
    };

    /// <summary>
    /// Google's BERT miniature shapes (heads = hidden / 64, FFN = 4 x hidden): tiny 2x128, mini 4x256, small 4x512, base 12x768.
    /// </summary>
    public static BertConfig Preset(string size, int vocabSize)
    {
        var (layers, hidden) = size.ToLowerInvariant() switch
        {
            "tiny" => (2, 128),
            "mini" => (4, 256),
            "small" => (4, 512),
            "medium" => (8, 512),
            "base" => (12, 768),
            _ => throw new ArgumentException($"Unknown BERT size '{size}'; expected tiny, mini, small, medium or base.", nameof(size)),
        };
        return new BertConfig
        {
            VocabSize = vocabSize, HiddenSize = hidden, NumHiddenLayers = layers, NumAttentionHeads = hidden / 64,
            IntermediateSize = 4 * hidden,
        };
    }

    public BertConfig Clone()
    {
        var json = ToJson();
        return FromJson(json, "(clone)");
    }

    public static BertConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            throw new FileNotFoundException($"The model configuration {path} does not exist.", path);
        }
        return FromJson(text, path);
    }

    public void Save(string path) => File.WriteAllText(path, ToJson());

    public static BertConfig FromJson(string json, string source)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"{source}: the configuration is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: invalid JSON ({e.Message}).", e);
        }

        var config = new BertConfig();
        T Take<T>(string key, T fallback)
        {
            if (!root.TryGetPropertyValue(key, out var node)) return fallback;
            root.Remove(key);
            if (node is null) return fallback;
            try
            {
                return node.Deserialize<T>() ?? fallback;
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                throw new InvalidDataException($"{source}: '{key}' has the wrong type ({node.ToJsonString()}), expected {typeof(T).Name}.", e);
            }
        }

        config.VocabSize = Take("vocab_size", config.VocabSize);
        config.HiddenSize = Take("hidden_size", config.HiddenSize);
        config.NumHiddenLayers = Take("num_hidden_layers", config.NumHiddenLayers);
        config.NumAttentionHeads = Take("num_attention_heads", config.NumAttentionHeads);
        config.IntermediateSize = Take("intermediate_size", config.IntermediateSize);
        config.MaxPositionEmbeddings = Take("max_position_embeddings", config.MaxPositionEmbeddings);
        config.TypeVocabSize = Take("type_vocab_size", config.TypeVocabSize);
        config.PadTokenId = Take("pad_token_id", config.PadTokenId);
        config.HiddenAct = Take("hidden_act", config.HiddenAct);
        config.HiddenDropoutProb = Take("hidden_dropout_prob", config.HiddenDropoutProb);
        config.AttentionProbsDropoutProb = Take("attention_probs_dropout_prob", config.AttentionProbsDropoutProb);
        config.ClassifierDropout = Take<double?>("classifier_dropout", null);
        config.InitializerRange = Take("initializer_range", config.InitializerRange);
        config.LayerNormEps = Take("layer_norm_eps", config.LayerNormEps);
        config.Architectures = Take<List<string>?>("architectures", null);
        config.ProblemType = Take<string?>("problem_type", null);
        var declaredNumLabels = Take<int?>("num_labels", null);
        config.Id2Label = Take<Dictionary<string, string>?>("id2label", null);
        config.Label2Id = Take<Dictionary<string, int>?>("label2id", null);
        if (config.Id2Label is null && declaredNumLabels is int n) config.NumLabels = n;
        config.unknownKeys = root;
        config.Validate(source);
        return config;
    }

    public string ToJson()
    {
        var root = (JsonObject)unknownKeys.DeepClone();
        void Put<T>(string key, T value) => root[key] = JsonSerializer.SerializeToNode(value);
        Put("architectures", Architectures);
        Put("attention_probs_dropout_prob", AttentionProbsDropoutProb);
        Put("classifier_dropout", ClassifierDropout);
        Put("hidden_act", HiddenAct);
        Put("hidden_dropout_prob", HiddenDropoutProb);
        Put("hidden_size", HiddenSize);
        if (Id2Label is not null) Put("id2label", Id2Label);
        Put("initializer_range", InitializerRange);
        Put("intermediate_size", IntermediateSize);
        if (Label2Id is not null) Put("label2id", Label2Id);
        Put("layer_norm_eps", LayerNormEps);
        Put("max_position_embeddings", MaxPositionEmbeddings);
        root["model_type"] ??= "bert";
        Put("num_attention_heads", NumAttentionHeads);
        Put("num_hidden_layers", NumHiddenLayers);
        Put("pad_token_id", PadTokenId);
        if (ProblemType is not null) Put("problem_type", ProblemType);
        Put("type_vocab_size", TypeVocabSize);
        Put("vocab_size", VocabSize);
        var sorted = new JsonObject();
        foreach (var (key, value) in root.OrderBy(kv => kv.Key, StringComparer.Ordinal)) sorted[key] = value?.DeepClone();
        return sorted.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private void Validate(string source)
    {
        if (HiddenSize % NumAttentionHeads != 0)
            throw new InvalidDataException($"{source}: hidden_size {HiddenSize} is not a multiple of num_attention_heads {NumAttentionHeads}.");
        if (HiddenAct != "gelu")
            throw new InvalidDataException($"{source}: hidden_act '{HiddenAct}' is not supported; this implementation uses the exact erf GELU ('gelu').");
        if (unknownKeys.TryGetPropertyValue("position_embedding_type", out var kind) && kind?.GetValue<string>() != "absolute")
            throw new InvalidDataException($"{source}: position_embedding_type '{kind}' is not supported; only 'absolute'.");
    }
}
