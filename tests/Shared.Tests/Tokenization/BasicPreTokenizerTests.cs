using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Shared.Tests.Tokenization;

public sealed class BasicPreTokenizerTests
{
    [Fact]
    public void Splits_whitespace_and_punctuation_and_isolates_cjk_ideographs_keeping_case()
    {
        var words = new BasicPreTokenizer().Split("Hello, wörld!我爱北京 München\tau$si (x)");
        Assert.Equal(["Hello", ",", "wörld", "!", "我", "爱", "北", "京", "München", "au", "$", "si", "(", "x", ")"], words);
    }

    [Fact]
    public void Hangul_and_kana_stay_whole_words_unlike_ideographs()
    {
        Assert.Equal(["한국어", "カタカナ", "漢", "字"], new BasicPreTokenizer().Split("한국어 カタカナ漢字"));
    }

    [Fact]
    public void Control_characters_are_dropped_without_splitting_and_unicode_spaces_split()
    {
        Assert.Equal(["abc", "de"], new BasicPreTokenizer().Split("a\u0000b\u200Bc\u00A0d\uFFFDe"));
    }

    [Fact]
    public void Lower_casing_also_strips_accents_as_in_google_code()
    {
        Assert.Equal(["munchen", "ecole"], new BasicPreTokenizer(lowerCase: true).Split("München École"));
    }

    [Fact]
    public void Characters_outside_the_basic_plane_are_single_characters()
    {
        // U+20000 is a CJK Extension B ideograph, stored as a surrogate pair.
        Assert.Equal(["a", "\U00020000", "b"], new BasicPreTokenizer().Split("a\U00020000b"));
    }
}
