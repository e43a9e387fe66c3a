using System.Globalization;
using System.Text;

namespace BertPlatform.Shared.Pretraining;

/// <summary>
/// The word splitting of Google's <c>BasicTokenizer</c>, applied before WordPiece: drops NUL, U+FFFD and
/// control characters, splits on whitespace, makes every punctuation character (Unicode P* plus all non-alphanumeric
/// ASCII) and every CJK ideograph a word of its own, and keeps case unless asked to lower-case, which, as in
/// Google's code, also strips accents. Characters are Unicode scalar values, as Python's are.
/// </summary>
public sealed class BasicPreTokenizer
{
    private readonly bool lowerCase;

    public BasicPreTokenizer(bool lowerCase = false) => this.lowerCase = lowerCase;

    public List<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (lowerCase) text = StripAccents(text.ToLowerInvariant());
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsWhitespace(rune))
            {
                Flush(current, words);
            }
            else if (rune.Value == 0 || rune == Rune.ReplacementChar || IsControl(rune))
            {
                // Removed, not a word boundary, as in Google's _clean_text.
            }
            else if (IsChineseCharacter(rune.Value) || IsPunctuation(rune))
            {
                Flush(current, words);
                words.Add(rune.ToString());
            }
            else
            {
                current.Append(rune.ToString());
            }
        }
        Flush(current, words);
        return words;
    }

    /// <summary>The CJK Unified Ideograph blocks Google splits into single characters (not Hangul, kana).</summary>
    public static bool IsChineseCharacter(int codePoint) =>
        codePoint is >= 0x4E00 and <= 0x9FFF
            or >= 0x3400 and <= 0x4DBF
            or >= 0x20000 and <= 0x2A6DF
            or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F
            or >= 0x2B820 and <= 0x2CEAF
            or >= 0xF900 and <= 0xFAFF
            or >= 0x2F800 and <= 0x2FA1F;

    public static bool IsPunctuation(Rune rune)
    {
        var cp = rune.Value;
        // All non-letter, non-digit ASCII counts as punctuation, "^", "$" and "`" included.
        if (cp is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126) return true;
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation;
    }

    private static bool IsWhitespace(Rune rune) =>
        rune.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator;

    private static bool IsControl(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format;

    private static string StripAccents(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var kept = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark) kept.Append(rune.ToString());
        return kept.ToString();
    }

    private static void Flush(StringBuilder current, List<string> words)
    {
        if (current.Length == 0) return;
        words.Add(current.ToString());
        current.Clear();
    }
}
