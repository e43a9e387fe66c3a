using System.Globalization;
using System.Text;

namespace BertPlatform.Shared.Insight;

/// <summary>
/// The keys two examples are compared by when duplicates and leakage are counted. Exact: the example's text parts
/// (a text and its pair, a question and its context …) as given. Near: the same after NFKC, lower-casing (invariant culture), dropping punctuation and symbols and
/// collapsing whitespace, so "Great movie!" and "great  movie" meet while a changed word still tells them apart.
/// </summary>
public static class DuplicateKeys
{
    // A separator no text can contain after parsing (a control character), so (a, bc) and (ab, c) stay apart.
    private const char PartSeparator = '\u001F';

    public static string Exact(IReadOnlyList<string> parts) => string.Join(PartSeparator, parts);

    public static string Near(IReadOnlyList<string> parts) => string.Join(PartSeparator, parts.Select(Normalize));

    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            var category = char.GetUnicodeCategory(c);
            if (char.IsWhiteSpace(c) || IsPunctuationOrSymbol(category))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace) builder.Append(' ');
            pendingSpace = false;
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    private static bool IsPunctuationOrSymbol(UnicodeCategory category) => category is
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or
        UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or
        UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or
        UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol;
}
