using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Shared.Tests.Tokenization;

/// <summary>Pre-split words for token classification: word ids and offsets within each word.</summary>
public sealed class EncodeWordsTests
{
    [Fact]
    public void Every_piece_knows_its_word()
    {
        var encoding = Tokenizers.TinyCased.EncodeWords(["Hello", "playing,", "unplayable", "world"]);

        Assert.Equal(["[CLS]", "Hello", "play", "##ing", ",", "[UNK]", "world", "[SEP]"], encoding.Tokens);
        Assert.Equal([null, 0, 1, 1, 1, 2, 3, null], encoding.WordIds);
        Assert.Equal([null, 0, 0, 0, 0, 0, 0, null], encoding.SequenceIds);
        Assert.Equal([null, new(0, 5), new(0, 4), new(4, 7), new(7, 8), new(0, 10), new(0, 5), null], encoding.Offsets);
    }

    [Fact]
    public void Words_that_vanish_leave_no_positions_but_keep_the_numbering()
    {
        var encoding = Tokenizers.TinyCased.EncodeWords(["Hello", "\u200B", " ", "world"]);

        Assert.Equal([null, 0, 3, null], encoding.WordIds);
    }

    [Fact]
    public void Words_are_truncated_and_padded_like_text()
    {
        var encoding = Tokenizers.TinyCased.EncodeWords(["Hello", "world", "Paris", "Berlin"],
            new EncodeOptions { MaxLength = 4, PadToMaxLength = true });
        var padded = Tokenizers.TinyCased.EncodeWords(["Hello"], new EncodeOptions { MaxLength = 5, PadToMaxLength = true });

        Assert.Equal([null, 0, 1, null], encoding.WordIds);
        Assert.Equal(2, encoding.TruncatedTokenCount);
        Assert.Equal([null, 0, null, null, null], padded.WordIds);
        Assert.Equal([1, 1, 1, 0, 0], padded.AttentionMask);
    }

    [Fact]
    public void A_null_word_is_reported_by_index()
    {
        var error = Assert.Throws<ArgumentException>(() => Tokenizers.TinyCased.EncodeWords(["Hello", null!]));

        Assert.Contains("Word 1", error.Message);
    }
}
