using BertPlatform.Shared.Tokenization;

namespace BertPlatform.GpuRunner.Pretraining;

/// <summary>
/// The WordPiece vocabulary as pre-training data creation sees it: token strings to ids (id = position, as in
/// <c>vocab.txt</c>), the ids of the special tokens it writes, and which ids are <c>##</c> continuation pieces
/// (whole-word masking groups those with the word they continue). Kept independent of any tokenizer class so
/// any source of word pieces can feed the instance generator.
/// </summary>
public sealed class PretrainingVocabulary
{
    private readonly Dictionary<string, int> ids;
    private readonly bool[] isContinuation;

    public PretrainingVocabulary(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        Tokens = tokens;
        ids = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        isContinuation = new bool[tokens.Count];
        for (var id = 0; id < tokens.Count; id++)
        {
            var token = tokens[id] ?? throw new ArgumentException($"Vocabulary entry {id} is null.", nameof(tokens));
            if (!ids.TryAdd(token, id))
                throw new ArgumentException(
                    $"Vocabulary token '{token}' appears twice (ids {ids[token]} and {id}).", nameof(tokens));
            isContinuation[id] = token.Length > WordPieceVocabulary.ContinuationPrefix.Length
                && token.StartsWith(WordPieceVocabulary.ContinuationPrefix, StringComparison.Ordinal);
        }
        ClsId = RequireSpecial(SpecialTokens.Classifier);
        SepId = RequireSpecial(SpecialTokens.Separator);
        MaskId = RequireSpecial(SpecialTokens.Mask);
    }

    /// <summary>Reads a <c>vocab.txt</c> with the tokenizer's own loader.</summary>
    public static PretrainingVocabulary Load(string vocabPath) => new(WordPieceVocabulary.Load(vocabPath).Tokens);

    public IReadOnlyList<string> Tokens { get; }

    public int Count => Tokens.Count;

    public int ClsId { get; }

    public int SepId { get; }

    public int MaskId { get; }

    public int? TryGetId(string token) => ids.TryGetValue(token, out var id) ? id : null;

    /// <summary>True for <c>##</c> pieces that continue the previous piece's word.</summary>
    public bool IsContinuation(int id) => isContinuation[id];

    private int RequireSpecial(string token) =>
        ids.TryGetValue(token, out var id)
            ? id
            : throw new ArgumentException(
                $"The vocabulary lacks the special token {token}, which pre-training instances need.");
}
