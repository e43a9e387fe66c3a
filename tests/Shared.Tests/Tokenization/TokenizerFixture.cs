using System.Text.Json;
using BertPlatform.TestSupport;

namespace BertPlatform.Shared.Tests.Tokenization;

/// <summary>The golden HF outputs in <c>fixtures/tiny-bert/tokenizer.json</c>.</summary>
internal static class TokenizerFixture
{
    private static readonly Lazy<JsonElement> root = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestAssets.TinyBert, "tokenizer.json"))).RootElement);

    public static string VocabPath => Path.Combine(TestAssets.TinyBert, "vocab.txt");

    public static JsonElement Mode(string mode) => root.Value.GetProperty(mode);

    public static IEnumerable<object[]> CaseIndices(string mode) =>
        Enumerable.Range(0, Mode(mode).GetProperty("cases").GetArrayLength()).Select(i => new object[] { mode, i });

    public static IEnumerable<object[]> AllCases() => CaseIndices("cased").Concat(CaseIndices("uncased"));

    public static IEnumerable<object[]> AllPairs() =>
        new[] { "cased", "uncased" }.SelectMany(mode =>
            Enumerable.Range(0, Mode(mode).GetProperty("pairs").GetArrayLength()).Select(i => new object[] { mode, i }));

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
}
