using System.Globalization;
using System.Text;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Shared.Tests.Tokenization;

/// <summary>Token spans point at the user's original characters whatever normalization did to them.</summary>
public sealed class OffsetMappingTests
{
    public static TheoryData<string> NastyTexts() => new()
    {
        "Cafe\u0301 crème brûlée",                       // decomposed accent composed by NFC
        "Ångström Ω \u212B \u2126",                       // singleton NFC mappings (Angstrom, Ohm signs)
        "中国人在Berlin住了三年。",                          // CJK isolation
        "ctrl\u0007bell\u0000nul\u001Bescape",            // control characters removed
        "I \u2764\uFE0F emoji 😀👍🏽 x😀y",                  // surrogate pairs and variation selector
        "non\u00A0breaking\u3000ideographic",             // exotic spaces
        "zero\u200Bwidth\uFEFFbom soft\u00ADhyphen",      // format characters removed inside words
        "  \t\r\n leading and trailing \n ",
        "x\uFFFDy [MASK] [mask] Straße",
        "Ünchen ÄÖÜ äöü İstanbul",
        "नमस्ते दुनिया مرحبا",
    };

    [Theory]
    [MemberData(nameof(NastyTexts))]
    public void Cased_spans_cover_the_characters_each_token_came_from(string text) =>
        AssertSpansExplainTokens(Tokenizers.Multilingual, text);

    [Theory]
    [MemberData(nameof(NastyTexts))]
    public void Uncased_spans_cover_the_characters_each_token_came_from(string text) =>
        AssertSpansExplainTokens(Tokenizers.TinyUncased, text);

    [Fact]
    public void Decomposed_accent_span_includes_the_combining_mark()
    {
        const string text = "Cafe\u0301 au lait";

        var first = Tokenizers.Multilingual.Tokenize(text)[0];

        Assert.Equal("Café", first.Token);
        Assert.Equal(new TextSpan(0, 5), first.Span);
    }

    [Fact]
    public void Removed_characters_are_skipped_but_stay_inside_the_word_span()
    {
        const string text = "at\u0007ed e\u200Bt";

        var tokens = Tokenizers.TinyCased.Tokenize(text);

        // "ated" and "et" are single words once BEL and ZWSP are gone; the removed chars sit between piece spans.
        Assert.Equal(["a", "##t", "##ed", "e", "##t"], tokens.Select(t => t.Token));
        Assert.Equal([new(0, 1), new(1, 2), new(3, 5), new(6, 7), new(8, 9)], tokens.Select(t => t.Span));
    }

    [Fact]
    public void Emoji_spans_cover_whole_surrogate_pairs()
    {
        const string text = "ok 😀 👍🏽";

        var tokens = Tokenizers.Multilingual.Tokenize(text);

        Assert.Equal(["ok", "😀", "👍🏽"], tokens.Select(t => t.Span.Slice(text)).Distinct());
    }

    [Fact]
    public void Cjk_ideographs_each_get_their_own_char()
    {
        const string text = "中国人在Berlin";

        var tokens = Tokenizers.TinyCased.Tokenize(text);

        Assert.Equal(["中", "国", "人", "在", "Berlin"], tokens.Select(t => t.Span.Slice(text)));
    }

    [Fact]
    public void Uncased_tokens_point_at_their_accented_uppercase_source()
    {
        const string text = "Ünchen ÄÖÜ";

        var tokens = Tokenizers.TinyUncased.Tokenize(text);

        Assert.Equal(["un", "##c", "##h", "##e", "##n", "a", "##o", "##u"], tokens.Select(t => t.Token));
        Assert.Equal(["Ün", "c", "h", "e", "n", "Ä", "Ö", "Ü"], tokens.Select(t => t.Span.Slice(text)));
    }

    [Fact]
    public void Pair_offsets_point_into_their_own_text()
    {
        var encoding = Tokenizers.TinyCased.Encode("Hello world!", "Привет, мир!");

        Assert.Equal([null, 0, 0, 0, null, 1, 1, 1, 1, null], encoding.SequenceIds);
        Assert.Null(encoding.Offsets[0]);
        Assert.Equal(new TextSpan(6, 11), encoding.Offsets[2]);
        Assert.Equal(new TextSpan(8, 11), encoding.Offsets[7]);
        Assert.Equal([null, 0, 1, 2, null, 0, 1, 2, 3, null], encoding.WordIds);
    }

    /// <summary>
    /// Re-derives each token from its span with the documented normalization (drop Cc/Cf, NFC, optional lower-case and
    /// accent stripping) and checks the token text is exactly that; [UNK] must still cover a non-empty piece.
    /// </summary>
    private static void AssertSpansExplainTokens(BertTextTokenizer tokenizer, string text)
    {
        var tokens = tokenizer.Tokenize(text);
        Assert.NotEmpty(tokens);
        var previousStart = 0;
        foreach (var token in tokens)
        {
            Assert.True(token.Span.Start >= previousStart, $"{token} starts before the previous token");
            Assert.True(token.Span.End > token.Span.Start && token.Span.End <= text.Length, $"{token} has an invalid span");
            Assert.False(char.IsLowSurrogate(text[token.Span.Start]), $"{token} starts inside a surrogate pair");
            Assert.False(char.IsHighSurrogate(text[token.Span.End - 1]), $"{token} ends inside a surrogate pair");
            previousStart = token.Span.Start;
            // [UNK] stands for a whole word; literal special tokens are kept verbatim, never lower-cased.
            if (token.Id == tokenizer.UnkTokenId || token.Token == token.Span.Slice(text)) continue;

            var piece = token.Token.StartsWith("##", StringComparison.Ordinal) ? token.Token[2..] : token.Token;
            var source = Normalize(token.Span.Slice(text), tokenizer.Settings);
            Assert.True(source.Contains(piece, StringComparison.Ordinal),
                $"token '{token.Token}' is not in its normalized source '{source}' ({token.Span})");
        }
    }

    private static string Normalize(string slice, BertTokenizerSettings settings)
    {
        var kept = new StringBuilder();
        foreach (var rune in slice.EnumerateRunes())
            if (Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format) && rune.Value != 0xFFFD)
                kept.Append(rune.ToString());
        var text = kept.ToString().Normalize(NormalizationForm.FormC);
        if (settings.DoLowerCase) text = text.ToLowerInvariant();
        if (!settings.StripAccents) return text;
        var stripped = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD))
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) stripped.Append(c);
        return stripped.ToString();
    }
}
