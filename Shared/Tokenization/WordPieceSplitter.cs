using System.Text;

namespace BertPlatform.Shared.Tokenization;

/// <summary>
/// Greedy longest-match-first WordPiece over one basic word (Google's <c>WordpieceTokenizer</c>): a word longer
/// than 100 code points, or one that cannot be covered by vocabulary pieces, becomes a single [UNK].
/// </summary>
internal sealed class WordPieceSplitter(WordPieceVocabulary vocabulary, int unknownTokenId)
{
    public const int MaxCodePointsPerWord = 100;

    public void Split(BasicWord word, int wordIndex, List<WordPieceToken> tokens, List<int> wordIndices)
    {
        var text = word.Text;
        if (word.IsSpecialToken)
        {
            var id = vocabulary.Find(text);
            Add(new WordPieceToken(id ?? unknownTokenId, id is null ? SpecialTokens.Unknown : text, word.Span));
            return;
        }
        if (CountCodePoints(text) > MaxCodePointsPerWord)
        {
            AddUnknown();
            return;
        }

        var firstPiece = tokens.Count;
        for (var start = 0; start < text.Length;)
        {
            var end = text.Length;
            int? id = null;
            while (start < end)
            {
                var candidate = text.AsSpan(start, end - start);
                id = start == 0 ? vocabulary.Find(candidate) : vocabulary.FindContinuation(candidate);
                if (id is not null) break;
                end -= end - 2 >= start && char.IsLowSurrogate(text[end - 1]) && char.IsHighSurrogate(text[end - 2]) ? 2 : 1;
            }
            if (id is null)
            {
                tokens.RemoveRange(firstPiece, tokens.Count - firstPiece);
                wordIndices.RemoveRange(firstPiece, wordIndices.Count - firstPiece);
                AddUnknown();
                return;
            }
            Add(new WordPieceToken(id.Value, vocabulary[id.Value], word.SpanOf(start, end)));
            start = end;
        }

        void AddUnknown() => Add(new WordPieceToken(unknownTokenId, SpecialTokens.Unknown, word.Span));

        void Add(WordPieceToken token)
        {
            tokens.Add(token);
            wordIndices.Add(wordIndex);
        }
    }

    private static int CountCodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }
}
