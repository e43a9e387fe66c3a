using BertPlatform.Shared.Tokenization;

namespace BertPlatform.Shared.Tests.Tokenization;

/// <summary>Lower-casing follows Python's str.lower(), which HF uses, where it differs from simple case mappings.</summary>
public sealed class LowerCasingTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("lower-casing-tests-").FullName;
    private readonly BertTextTokenizer lowerOnly;

    public LowerCasingTests()
    {
        var vocab = Path.Combine(directory, "vocab.txt");
        File.WriteAllLines(vocab, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "i\u0307stanbul", "istanbul", "οδος", "οδοσ", "σ", "ς", "σοφος", "is"]);
        // Lower-case without accent stripping, so the exact lower-cased characters decide the vocabulary match.
        lowerOnly = BertTextTokenizer.Create(vocab, new BertTokenizerSettings(DoLowerCase: true, StripAccents: false, TokenizeChineseChars: true));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Greek_capital_sigma_becomes_final_sigma_only_at_the_end_of_a_word()
    {
        Assert.Equal(["οδος", "σοφος", "σ"], lowerOnly.Tokenize("ΟΔΟΣ ΣΟΦΟΣ Σ").Select(t => t.Token));
    }

    [Fact]
    public void Dotted_capital_i_keeps_its_dot_as_a_combining_mark()
    {
        var token = lowerOnly.Tokenize("İstanbul").Single();

        Assert.Equal("i\u0307stanbul", token.Token);
        Assert.Equal(new TextSpan(0, 8), token.Span);
    }

    [Fact]
    public void Accent_stripping_then_removes_the_dot()
    {
        Assert.Equal(["is"], Tokenizers.TinyUncased.Tokenize("İs").Select(t => t.Token));
    }
}
