using System.Text;
using BertPlatform.Shared.Tokenization;
using BertPlatform.TestSupport;
using MlBertTokenizer = Microsoft.ML.Tokenizers.BertTokenizer;
using MlBertOptions = Microsoft.ML.Tokenizers.BertOptions;

namespace BertPlatform.Shared.Tests.Tokenization;

/// <summary>The real bert-base-multilingual-cased vocabulary and its tokenizer_config.json.</summary>
public sealed class MultilingualVocabularyTests
{
    private static readonly BertTextTokenizer tokenizer = Tokenizers.Multilingual;

    private static readonly Lazy<MlBertTokenizer> mlTokenizer = new(() => MlBertTokenizer.Create(
        Path.Combine(TestAssets.MultilingualVocab, "vocab.txt"),
        new MlBertOptions { LowerCaseBeforeTokenization = false, RemoveNonSpacingMarks = false, IndividuallyTokenizeCjk = true }));

    private static readonly string[] sentences =
    [
        "Hello world",
        "The quick brown fox jumps over the lazy dog.",
        "Die Straße in München ist wunderschön, Äpfel & Öl!",
        "L'été dernier, nous étions à Besançon.",
        "¿Dónde está la biblioteca? ¡Allí!",
        "我爱北京天安门。",
        "東京は日本の首都です。カタカナもひらがなも。",
        "สวัสดีครับยินดีที่ได้รู้จัก",
        "مرحبا بالعالم، كيف حالك؟",
        "नमस्ते दुनिया, आप कैसे हैं?",
        "Привет, мир! Как дела?",
        "안녕하세요 세계",
        "Γειά σου Κόσμε",
        "שלום עולם",
        "Price: €5,000.50 (approx.) - 20% off!!",
    ];

    public static TheoryData<string> Sentences() => new(sentences);

    [Fact]
    public void Hello_world_matches_the_published_ids()
    {
        Assert.Equal([101, 31178, 11356, 102], tokenizer.Encode("Hello world").InputIds);
    }

    [Fact]
    public void Settings_and_special_ids_come_from_the_model_files()
    {
        Assert.Equal(new BertTokenizerSettings(DoLowerCase: false, StripAccents: false, TokenizeChineseChars: true, ModelMaxLength: 512), tokenizer.Settings);
        Assert.Equal(119547, tokenizer.VocabSize);
        Assert.Equal((0, 100, 101, 102, 103), (tokenizer.PadTokenId, tokenizer.UnkTokenId, tokenizer.ClsTokenId, tokenizer.SepTokenId, tokenizer.MaskTokenId));
        Assert.Equal("Hello", tokenizer.IdToToken(31178));
        Assert.Equal(11356, tokenizer.TokenToId("world"));
        Assert.Null(tokenizer.TokenToId("no-such-token-in-mbert"));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.IdToToken(119547));
    }

    [Fact]
    public void Cased_model_keeps_case_and_accents()
    {
        var upper = tokenizer.Tokenize("München");
        var lower = tokenizer.Tokenize("münchen");

        Assert.NotEqual(upper.Select(t => t.Id), lower.Select(t => t.Id));
        Assert.Equal("München", string.Concat(upper.Select(t => t.Token.Replace("##", ""))));
        Assert.Equal("münchen", string.Concat(lower.Select(t => t.Token.Replace("##", ""))));
    }

    [Theory]
    [MemberData(nameof(Sentences))]
    public void Sentences_tokenize_without_unknowns_and_tokens_are_original_substrings(string sentence)
    {
        var tokens = tokenizer.Tokenize(sentence);

        Assert.NotEmpty(tokens);
        Assert.DoesNotContain(tokens, t => t.Id == tokenizer.UnkTokenId);
        // Cased mBERT only cleans and splits NFC text, so each piece is literally the text it points at.
        Assert.All(tokens, t => Assert.Equal(t.Token.StartsWith("##", StringComparison.Ordinal) ? t.Token[2..] : t.Token, t.Span.Slice(sentence)));
    }

    /// <summary>Sentences where Microsoft.ML.Tokenizers' BertTokenizer follows HF; see the divergence test below.</summary>
    public static TheoryData<string> SentencesMicrosoftMlAgreesOn() => new(sentences
        .Where(s => !s.Contains('€') && !s.Contains("दुनिया", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(SentencesMicrosoftMlAgreesOn))]
    public void Ids_agree_with_microsoft_ml_tokenizers(string sentence)
    {
        var expected = mlTokenizer.Value.EncodeToIds(sentence, addSpecialTokens: true, considerPreTokenization: true, considerNormalization: true);

        Assert.Equal(expected, tokenizer.Encode(sentence).InputIds);
    }

    [Fact]
    public void Where_microsoft_ml_tokenizers_differs_hugging_faces_rules_win()
    {
        // HF splits only P* categories and ASCII symbols: the currency sign stays in its word (the tiny fixture's
        // "€5" → "€", "##5" confirms it) and Devanagari spacing vowel signs (Mc) stay inside the word.
        // ML.Tokenizers 2.0.1 splits both, giving "€", "5" and "दु", "##न", …
        Assert.Equal(["€", "##5"], tokenizer.Tokenize("€5").Select(t => t.Token));
        Assert.Equal(["दुनिया"], tokenizer.Tokenize("दुनिया").Select(t => t.Token));
        var ml = mlTokenizer.Value.EncodeToIds("€5 दुनिया", addSpecialTokens: false, considerPreTokenization: true, considerNormalization: true);
        Assert.NotEqual(ml, tokenizer.Tokenize("€5 दुनिया").Select(t => t.Id));
    }

    [Fact]
    public void Chinese_ideographs_are_single_tokens_but_kana_and_thai_are_wordpieces()
    {
        Assert.Equal(["我", "爱", "北", "京", "天", "安", "门", "。"], tokenizer.Tokenize("我爱北京天安门。").Select(t => t.Token));

        var japanese = tokenizer.Tokenize("日本のカタカナ").Select(t => t.Token).ToArray();
        Assert.Equal(["日", "本"], japanese[..2]);
        Assert.StartsWith("##", japanese[^1], StringComparison.Ordinal);

        var thai = tokenizer.Tokenize("สวัสดีครับ").Select(t => t.Token).ToArray();
        Assert.True(thai.Length > 1);
        Assert.All(thai[1..], t => Assert.StartsWith("##", t, StringComparison.Ordinal));
    }

    [Fact]
    public void Nfc_composes_decomposed_accents_before_lookup()
    {
        var decomposed = "Mu\u0308nchen";
        Assert.False(decomposed.IsNormalized(NormalizationForm.FormC));

        var tokens = tokenizer.Tokenize(decomposed);

        Assert.Equal(tokenizer.Tokenize("München").Select(t => t.Id), tokens.Select(t => t.Id));
        Assert.Equal(new TextSpan(0, decomposed.Length), new TextSpan(tokens[0].Span.Start, tokens[^1].Span.End));
    }
}
