using BertPlatform.Shared.Tokenization;
using BertPlatform.TestSupport;

namespace BertPlatform.Shared.Tests.Tokenization;

/// <summary>Tokenizers shared by the tests; loading the 119,547-token mBERT vocabulary once keeps the suite fast.</summary>
internal static class Tokenizers
{
    private static readonly Lazy<BertTextTokenizer> multilingual = new(() => BertTextTokenizer.Load(TestAssets.MultilingualVocab));
    private static readonly Lazy<BertTextTokenizer> tinyCased = new(() => TinyBert(doLowerCase: false));
    private static readonly Lazy<BertTextTokenizer> tinyUncased = new(() => TinyBert(doLowerCase: true));

    public static BertTextTokenizer Multilingual => multilingual.Value;

    public static BertTextTokenizer TinyCased => tinyCased.Value;

    public static BertTextTokenizer TinyUncased => tinyUncased.Value;

    public static BertTextTokenizer TinyBert(bool doLowerCase, int modelMaxLength = 512) =>
        BertTextTokenizer.Create(TokenizerFixture.VocabPath, new BertTokenizerSettings(doLowerCase, doLowerCase, TokenizeChineseChars: true, modelMaxLength));
}
