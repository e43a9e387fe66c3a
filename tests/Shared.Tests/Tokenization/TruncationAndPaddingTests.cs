using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Shared.Tests.Tokenization;

/// <summary>HF truncation strategies, padding and special-token switches, on the tiny fixture vocabulary.</summary>
public sealed class TruncationAndPaddingTests
{
    private static readonly BertTextTokenizer tokenizer = Tokenizers.TinyCased;

    // 9 tokens: The play is play ##ing , play ##ed .
    private const string Long = "The play is playing, played.";

    // 3 tokens: Hello world !
    private const string Short = "Hello world!";

    [Fact]
    public void Longest_first_cuts_the_longer_sequence_until_they_are_even()
    {
        var encoding = tokenizer.Encode(Long, Short, new EncodeOptions { MaxLength = 9, Truncation = TruncationStrategy.LongestFirst });

        // Budget 6 for 9 + 3 tokens: all 6 removals hit the first, which stays longer until it is down to 3.
        Assert.Equal(9, encoding.Length);
        Assert.Equal(["[CLS]", "The", "play", "is", "[SEP]", "Hello", "world", "!", "[SEP]"], encoding.Tokens);
        Assert.Equal(6, encoding.TruncatedTokenCount);
    }

    [Fact]
    public void Longest_first_takes_from_the_second_when_lengths_are_equal()
    {
        var encoding = tokenizer.Encode(Long, Short, new EncodeOptions { MaxLength = 8, Truncation = TruncationStrategy.LongestFirst });

        // Budget 5: first 9→3 (tie), then the second loses one: 3 + 2.
        Assert.Equal(["[CLS]", "The", "play", "is", "[SEP]", "Hello", "world", "[SEP]"], encoding.Tokens);
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1], encoding.TokenTypeIds);
        Assert.Equal(7, encoding.TruncatedTokenCount);
    }

    [Fact]
    public void Only_first_and_only_second_cut_only_their_sequence()
    {
        var onlyFirst = tokenizer.Encode(Long, Short, new EncodeOptions { MaxLength = 8, Truncation = TruncationStrategy.OnlyFirst });
        var onlySecond = tokenizer.Encode(Short, Long, new EncodeOptions { MaxLength = 8, Truncation = TruncationStrategy.OnlySecond });

        Assert.Equal(["[CLS]", "The", "play", "[SEP]", "Hello", "world", "!", "[SEP]"], onlyFirst.Tokens);
        Assert.Equal(["[CLS]", "Hello", "world", "!", "[SEP]", "The", "play", "[SEP]"], onlySecond.Tokens);
        Assert.Equal(7, onlyFirst.TruncatedTokenCount);
        Assert.Equal(7, onlySecond.TruncatedTokenCount);
    }

    [Fact]
    public void Impossible_truncation_says_what_does_not_fit()
    {
        var onlyFirst = Assert.Throws<ArgumentException>(() =>
            tokenizer.Encode(Short, Long, new EncodeOptions { MaxLength = 8, Truncation = TruncationStrategy.OnlyFirst }));
        var onlySecondWithoutPair = Assert.Throws<ArgumentException>(() =>
            tokenizer.Encode(Long, null, new EncodeOptions { MaxLength = 5, Truncation = TruncationStrategy.OnlySecond }));
        var tooSmall = Assert.Throws<ArgumentOutOfRangeException>(() =>
            tokenizer.Encode(Long, Short, new EncodeOptions { MaxLength = 2 }));

        Assert.Contains("OnlyFirst", onlyFirst.Message);
        Assert.Contains("first sequence has 3", onlyFirst.Message);
        Assert.Contains("needs a text pair", onlySecondWithoutPair.Message);
        Assert.Contains("3 special tokens", tooSmall.Message);
    }

    [Fact]
    public void Single_text_is_cut_from_the_end()
    {
        var encoding = tokenizer.Encode(Long, options: new EncodeOptions { MaxLength = 5 });

        Assert.Equal(["[CLS]", "The", "play", "is", "[SEP]"], encoding.Tokens);
        Assert.Equal(6, encoding.TruncatedTokenCount);
    }

    [Fact]
    public void Without_options_the_model_maximum_length_applies()
    {
        var shortModel = Tokenizers.TinyBert(doLowerCase: false, modelMaxLength: 6);

        Assert.Equal(6, shortModel.Encode(Long).Length);
        Assert.Equal(11, shortModel.Encode(Long, options: new EncodeOptions { Truncation = TruncationStrategy.None }).Length);
    }

    [Fact]
    public void Padding_fills_to_max_length_with_masked_pad_tokens()
    {
        var encoding = tokenizer.Encode(Short, options: new EncodeOptions { MaxLength = 8, PadToMaxLength = true });

        Assert.Equal([2, 115, 116, 5, 3, 0, 0, 0], encoding.InputIds);
        Assert.Equal([1, 1, 1, 1, 1, 0, 0, 0], encoding.AttentionMask);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0], encoding.TokenTypeIds);
        Assert.Equal(["[CLS]", "Hello", "world", "!", "[SEP]", "[PAD]", "[PAD]", "[PAD]"], encoding.Tokens);
        Assert.All(encoding.Offsets.Skip(4), Assert.Null);
        Assert.All(encoding.SequenceIds.Skip(4), Assert.Null);
        Assert.All(encoding.WordIds.Skip(4), Assert.Null);
        Assert.Equal(0, encoding.TruncatedTokenCount);
    }

    [Fact]
    public void Padding_never_shortens_an_untruncated_encoding()
    {
        var encoding = tokenizer.Encode(Long, options: new EncodeOptions { MaxLength = 4, PadToMaxLength = true, Truncation = TruncationStrategy.None });

        Assert.Equal(11, encoding.Length);
        Assert.DoesNotContain(0, encoding.AttentionMask);
    }

    [Fact]
    public void Special_tokens_can_be_left_out()
    {
        var encoding = tokenizer.Encode(Short, Long, new EncodeOptions { AddSpecialTokens = false, MaxLength = 6 });

        Assert.Equal(["Hello", "world", "!", "The", "play", "is"], encoding.Tokens);
        Assert.Equal([0, 0, 0, 1, 1, 1], encoding.TokenTypeIds);
        Assert.DoesNotContain(null, encoding.Offsets);
    }
}
