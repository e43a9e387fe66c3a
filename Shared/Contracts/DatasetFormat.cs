using System.Text.Json.Serialization;

namespace BertPlatform.Shared.Contracts;

/// <summary>The file format of an uploaded dataset.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DatasetFormat>))]
public enum DatasetFormat
{
    [JsonStringEnumMemberName("csv")] Csv,
    [JsonStringEnumMemberName("tsv")] Tsv,
    [JsonStringEnumMemberName("jsonl")] Jsonl,
    /// <summary>CoNLL-style token-per-line files (token and tag, blank line between sentences).</summary>
    [JsonStringEnumMemberName("conll")] Conll,
    /// <summary>SQuAD v1.1 / v2.0 JSON.</summary>
    [JsonStringEnumMemberName("squad")] Squad,
    /// <summary>Plain text, one sentence per line, blank line between documents (pre-training corpora).</summary>
    [JsonStringEnumMemberName("text")] Text,
}
