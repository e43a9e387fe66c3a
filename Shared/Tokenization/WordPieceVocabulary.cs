using System.Text;

namespace BertPlatform.Shared.Tokenization;

/// <summary>
/// A <c>vocab.txt</c>: one token per line, id = 0-based line number (HF <c>load_vocab</c>; a repeated token
/// resolves to its last line). Lookups take spans so WordPiece can probe substrings without allocating.
/// </summary>
public sealed class WordPieceVocabulary
{
    public const string ContinuationPrefix = "##";

    private readonly string[] tokens;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> wholeTokens;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> continuations;

    private WordPieceVocabulary(string[] tokens)
    {
        this.tokens = tokens;
        var whole = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        var suffixes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < tokens.Length; id++)
        {
            whole[tokens[id]] = id;
            if (tokens[id].StartsWith(ContinuationPrefix, StringComparison.Ordinal))
                suffixes[tokens[id][ContinuationPrefix.Length..]] = id;
        }
        wholeTokens = whole.GetAlternateLookup<ReadOnlySpan<char>>();
        continuations = suffixes.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public IReadOnlyList<string> Tokens => tokens;

    public int Count => tokens.Length;

    public static WordPieceVocabulary Load(string vocabPath)
    {
        if (!File.Exists(vocabPath)) throw new FileNotFoundException($"The WordPiece vocabulary {vocabPath} does not exist.", vocabPath);
        var text = File.ReadAllText(vocabPath, Encoding.UTF8);
        var lines = text.Split('\n');
        // A final newline ends the last token rather than starting an empty one.
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        if (count == 0) throw new InvalidDataException($"The WordPiece vocabulary {vocabPath} is empty.");
        return new WordPieceVocabulary(lines[..count]);
    }

    public string this[int id] => id >= 0 && id < tokens.Length
        ? tokens[id]
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id must be in [0, {tokens.Length}).");

    public int? Find(ReadOnlySpan<char> token) => wholeTokens.TryGetValue(token, out var id) ? id : null;

    /// <summary>Id of <c>##suffix</c>.</summary>
    public int? FindContinuation(ReadOnlySpan<char> suffix) => continuations.TryGetValue(suffix, out var id) ? id : null;

    public int Require(string token, string vocabPath) =>
        Find(token) ?? throw new InvalidDataException($"The WordPiece vocabulary {vocabPath} has no {token} token.");

    public void Save(string vocabPath)
    {
        using var writer = new StreamWriter(vocabPath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.NewLine = "\n";
        foreach (var token in tokens) writer.WriteLine(token);
    }
}
