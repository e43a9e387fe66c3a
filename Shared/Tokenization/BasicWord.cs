namespace BertPlatform.Shared.Tokenization;

/// <summary>
/// A word after BERT's basic tokenization (cleaned, CJK-split, NFC, optionally lower-cased and accent-stripped,
/// split on punctuation). <see cref="Starts"/>/<see cref="Ends"/> give, for every UTF-16 char of <see cref="Text"/>,
/// the original-text range it was produced from, so WordPiece sub-tokens can be mapped back.
/// </summary>
internal sealed record BasicWord(string Text, int[] Starts, int[] Ends, bool IsSpecialToken)
{
    public TextSpan SpanOf(int start, int end) => new(Starts[start], Ends[end - 1]);

    public TextSpan Span => SpanOf(0, Text.Length);
}
