namespace BertPlatform.Shared.Pretraining;

/// <summary>
/// The WordPiece vocabulary as pre-training data creation sees it: token strings to ids (id = position, as in
/// <c>vocab.txt</c>), the ids of the special tokens it writes, and which ids are <c>##</c> continuation pieces
/// (whole-word masking groups those with the word they continue). Kept independent of any tokenizer class so
/// any source of word pieces can feed the instance generator.
/// </summary>
public sealed class PretrainingVocabulary
{
    public const string ClsToken = "[CLS]";
    public const string SepToken = "[SEP]";
    public const string MaskToken = "[MASK]";
    public const string ContinuationPrefix = "##";

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
            isContinuation[id] = token.Length > ContinuationPrefix.Length
                && token.StartsWith(ContinuationPrefix, StringComparison.Ordinal);
        }
        ClsId = RequireSpecial(ClsToken);
        SepId = RequireSpecial(SepToken);
        MaskId = RequireSpecial(MaskToken);
    }

    /// <summary>Reads a <c>vocab.txt</c>: one token per line, id = 0-based line number.</summary>
    public static PretrainingVocabulary Load(string vocabPath)
    {
        if (!File.Exists(vocabPath))
            throw new FileNotFoundException($"Vocabulary file {vocabPath} does not exist.", vocabPath);
        return new PretrainingVocabulary(File.ReadAllLines(vocabPath));
    }

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
