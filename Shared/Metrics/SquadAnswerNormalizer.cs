using System.Text;
using System.Text.RegularExpressions;

namespace BertPlatform.Shared.Metrics;

/// <summary>
/// The official SQuAD answer normalisation (evaluate-v2.0.py <c>normalize_answer</c>): lower-case, drop ASCII
/// punctuation (Python's <c>string.punctuation</c>), replace the articles a/an/the by a space, collapse whitespace.
/// The order matters: punctuation goes before articles, so "the-end" becomes "theend" and keeps its "the".
/// </summary>
public static partial class SquadAnswerNormalizer
{
    private const string AsciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lowered = text.ToLowerInvariant();
        var withoutPunctuation = new StringBuilder(lowered.Length);
        foreach (var character in lowered)
        {
            if (!AsciiPunctuation.Contains(character))
            {
                withoutPunctuation.Append(character);
            }
        }

        var withoutArticles = Articles().Replace(withoutPunctuation.ToString(), " ");
        return string.Join(' ', SplitOnWhitespace(withoutArticles));
    }

    /// <summary>The normalised answer's tokens (<c>get_tokens</c>); none for an empty answer.</summary>
    public static IReadOnlyList<string> Tokens(string text) =>
        string.IsNullOrEmpty(text) ? [] : SplitOnWhitespace(Normalize(text));

    private static string[] SplitOnWhitespace(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var boundary = i == text.Length || IsPythonWhitespace(text[i]);
            if (boundary && start >= 0)
            {
                words.Add(text[start..i]);
                start = -1;
            }
            else if (!boundary && start < 0)
            {
                start = i;
            }
        }

        return [.. words];
    }

    // Python's str.split() also splits on the information separators U+001C..U+001F; char.IsWhiteSpace does not.
    private static bool IsPythonWhitespace(char character) =>
        char.IsWhiteSpace(character) || character is >= '\u001c' and <= '\u001f';

    [GeneratedRegex(@"\b(a|an|the)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Articles();
}
