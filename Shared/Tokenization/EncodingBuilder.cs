namespace BertPlatform.Shared.Tokenization;

/// <summary>Assembles [CLS] A [SEP] (B [SEP]) [PAD]… with the matching per-position annotations.</summary>
internal sealed class EncodingBuilder(int capacity)
{
    private readonly List<int> inputIds = new(capacity);
    private readonly List<int> tokenTypeIds = new(capacity);
    private readonly List<int> attentionMask = new(capacity);
    private readonly List<string> tokens = new(capacity);
    private readonly List<TextSpan?> offsets = new(capacity);
    private readonly List<int?> sequenceIds = new(capacity);
    private readonly List<int?> wordIds = new(capacity);

    public int Count => inputIds.Count;

    public void AddSpecial(int id, string token, int tokenType) => Add(id, token, tokenType, 1, null, null, null);

    public void AddSequence(IReadOnlyList<WordPieceToken> pieces, IReadOnlyList<int> words, int start, int count, int sequenceId)
    {
        for (var i = start; i < start + count; i++)
            Add(pieces[i].Id, pieces[i].Token, sequenceId, 1, pieces[i].Span, sequenceId, words[i]);
    }

    public void PadTo(int length, int padId, string padToken)
    {
        while (Count < length) Add(padId, padToken, 0, 0, null, null, null);
    }

    public BertEncoding Build(int truncatedTokenCount) =>
        new(inputIds, tokenTypeIds, attentionMask, tokens, offsets, sequenceIds, wordIds, truncatedTokenCount);

    private void Add(int id, string token, int tokenType, int attention, TextSpan? offset, int? sequenceId, int? wordId)
    {
        inputIds.Add(id);
        tokens.Add(token);
        tokenTypeIds.Add(tokenType);
        attentionMask.Add(attention);
        offsets.Add(offset);
        sequenceIds.Add(sequenceId);
        wordIds.Add(wordId);
    }
}
