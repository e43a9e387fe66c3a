using System.Globalization;
using System.Text;

namespace BertPlatform.Shared.Tokenization;

/// <summary>The character classes of Google's/HF's BERT BasicTokenizer (<c>_is_whitespace</c>, <c>_is_control</c>, …).</summary>
internal static class UnicodeClasses
{
    public static bool IsWhitespace(int codePoint) =>
        codePoint is ' ' or '\t' or '\n' or '\r' || CharUnicodeInfo.GetUnicodeCategory(codePoint) == UnicodeCategory.SpaceSeparator;

    /// <summary>Cc and Cf, except tab/newline/carriage return which count as whitespace. Cf covers ZWSP, BOM, soft hyphen.</summary>
    public static bool IsControl(int codePoint)
    {
        if (codePoint is '\t' or '\n' or '\r') return false;
        return CharUnicodeInfo.GetUnicodeCategory(codePoint) is UnicodeCategory.Control or UnicodeCategory.Format;
    }

    /// <summary>ASCII symbols count as punctuation too (BERT splits <c>$</c>, <c>^</c>, <c>`</c> …), plus every P* category.</summary>
    public static bool IsPunctuation(int codePoint)
    {
        if (codePoint is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126) return true;
        return CharUnicodeInfo.GetUnicodeCategory(codePoint) is UnicodeCategory.ConnectorPunctuation
            or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>The CJK Unified Ideograph blocks BERT isolates; kana, hangul and CJK punctuation are deliberately not included.</summary>
    public static bool IsCjkIdeograph(int codePoint) =>
        codePoint is >= 0x4E00 and <= 0x9FFF
            or >= 0x3400 and <= 0x4DBF
            or >= 0x20000 and <= 0x2A6DF
            or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F
            or >= 0x2B820 and <= 0x2CEAF
            or >= 0xF900 and <= 0xFAFF
            or >= 0x2F800 and <= 0x2FA1F;

    public static bool IsNonSpacingMark(int codePoint) =>
        CharUnicodeInfo.GetUnicodeCategory(codePoint) == UnicodeCategory.NonSpacingMark;

    /// <summary>
    /// Characters that NFC may compose with what precedes them: combining marks and the Hangul medial/final jamo.
    /// Everything else starts a new composition cluster.
    /// </summary>
    public static bool CanComposeWithPrevious(int codePoint) =>
        codePoint is >= 0x1160 and <= 0x11FF or >= 0xD7B0 and <= 0xD7FF
        || CharUnicodeInfo.GetUnicodeCategory(codePoint) is UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    public static int ToLower(int codePoint) =>
        codePoint < 0x80
            ? (codePoint is >= 'A' and <= 'Z' ? codePoint + 32 : codePoint)
            : Rune.ToLowerInvariant(new Rune(codePoint)).Value;
}
