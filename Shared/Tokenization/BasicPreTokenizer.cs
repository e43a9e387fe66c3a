using System.Text;

namespace BertPlatform.Shared.Tokenization;

/// <summary>
/// The word splitting of BERT's basic tokenizer, applied before WordPiece when a vocabulary is learnt: the very
/// splitter the platform's tokenizer uses (cleaning, whitespace and punctuation splits, CJK ideographs as words of
/// their own, lower-casing with accent stripping when asked), so a learnt vocabulary sees words exactly as the
/// tokenizer will later cut them. Literal special tokens in the text are not words to learn.
/// </summary>
public sealed class BasicPreTokenizer(bool lowerCase = false)
{
    private readonly BasicTokenizer splitter = new(new BertTokenizerSettings(lowerCase, lowerCase, TokenizeChineseChars: true));

    public List<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<BasicWord>();
        splitter.Split(text, words);
        return words.Where(w => !w.IsSpecialToken).Select(w => w.Text).ToList();
    }

    /// <summary>The CJK Unified Ideograph blocks BERT splits into single characters (not Hangul, kana).</summary>
    public static bool IsChineseCharacter(int codePoint) => UnicodeClasses.IsCjkIdeograph(codePoint);

    /// <summary>Unicode punctuation plus every non-alphanumeric ASCII character, as BERT counts it.</summary>
    public static bool IsPunctuation(Rune rune) => UnicodeClasses.IsPunctuation(rune.Value);
}
