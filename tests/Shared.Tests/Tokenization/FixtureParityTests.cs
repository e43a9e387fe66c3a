using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Shared.Tests.Tokenization;

/// <summary>Every case of the HF 4.31 fixture, cased and uncased: tokens and ids exact (NFC behaviour).</summary>
public sealed class FixtureParityTests
{
    private static readonly Dictionary<string, BertTextTokenizer> tokenizers = new()
    {
        ["cased"] = Create("cased"),
        ["uncased"] = Create("uncased"),
    };

    private static BertTextTokenizer Create(string mode)
    {
        var settings = TokenizerFixture.Mode(mode);
        var lower = settings.GetProperty("do_lower_case").GetBoolean();
        var chinese = settings.GetProperty("tokenize_chinese_chars").GetBoolean();
        return BertTextTokenizer.Create(TokenizerFixture.VocabPath, new BertTokenizerSettings(lower, StripAccents: lower, chinese));
    }

    public static IEnumerable<object[]> Cases() => TokenizerFixture.AllCases();

    public static IEnumerable<object[]> Pairs() => TokenizerFixture.AllPairs();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tokens_and_ids_match_hugging_face(string mode, int index)
    {
        var fixture = TokenizerFixture.Mode(mode).GetProperty("cases")[index];
        var text = fixture.GetProperty("text").GetString()!;
        var tokenizer = tokenizers[mode];

        var tokens = tokenizer.Tokenize(text);
        var encoding = tokenizer.Encode(text);

        Assert.Equal(TokenizerFixture.Strings(fixture.GetProperty("tokens")), tokens.Select(t => t.Token).ToArray());
        Assert.Equal(TokenizerFixture.Ints(fixture.GetProperty("input_ids")), encoding.InputIds.ToArray());
        Assert.All(encoding.TokenTypeIds, t => Assert.Equal(0, t));
        Assert.All(encoding.AttentionMask, m => Assert.Equal(1, m));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_token_maps_back_to_original_characters(string mode, int index)
    {
        var text = TokenizerFixture.Mode(mode).GetProperty("cases")[index].GetProperty("text").GetString()!;
        var tokens = tokenizers[mode].Tokenize(text);

        var previousEnd = 0;
        foreach (var token in tokens)
        {
            Assert.InRange(token.Span.Start, previousEnd, text.Length);
            Assert.InRange(token.Span.End, token.Span.Start + 1, text.Length);
            // Sub-tokens of one word may share a composed char's range, so only require non-decreasing starts.
            previousEnd = token.Span.Start;
            Assert.False(char.IsLowSurrogate(text[token.Span.Start]), $"{token} starts inside a surrogate pair");
            Assert.False(char.IsHighSurrogate(text[token.Span.End - 1]), $"{token} ends inside a surrogate pair");
        }
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Pairs_match_hugging_face(string mode, int index)
    {
        var fixture = TokenizerFixture.Mode(mode).GetProperty("pairs")[index];
        var options = EncodeOptions.Default;
        if (fixture.TryGetProperty("options", out var fixtureOptions))
        {
            Assert.Equal("longest_first", fixtureOptions.GetProperty("truncation").GetString());
            options = new EncodeOptions { MaxLength = fixtureOptions.GetProperty("max_length").GetInt32(), Truncation = TruncationStrategy.LongestFirst };
        }

        var encoding = tokenizers[mode].Encode(fixture.GetProperty("text").GetString()!, fixture.GetProperty("text_pair").GetString(), options);

        Assert.Equal(TokenizerFixture.Ints(fixture.GetProperty("input_ids")), encoding.InputIds.ToArray());
        Assert.Equal(TokenizerFixture.Ints(fixture.GetProperty("token_type_ids")), encoding.TokenTypeIds.ToArray());
        Assert.Equal(TokenizerFixture.Ints(fixture.GetProperty("attention_mask")), encoding.AttentionMask.ToArray());
    }
}
