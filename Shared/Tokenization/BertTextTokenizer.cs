namespace BertPlatform.Shared.Tokenization;

/// <summary>
/// BERT WordPiece tokenizer matching Hugging Face's slow <c>BertTokenizer</c> id for id, with char offsets into
/// the caller's original text. Written directly rather than on Microsoft.ML.Tokenizers' BertTokenizer because
/// that one reports offsets into its normalized text, has no NFC step, and offers no pair truncation or
/// overflowing windows; everything those need is here. Immutable and thread-safe; load once and share.
/// </summary>
public sealed class BertTextTokenizer
{
    public const string VocabularyFileName = "vocab.txt";

    private readonly WordPieceVocabulary vocabulary;
    private readonly BasicTokenizer basicTokenizer;
    private readonly WordPieceSplitter wordPieceSplitter;

    private BertTextTokenizer(WordPieceVocabulary vocabulary, BertTokenizerSettings settings, string vocabPath)
    {
        this.vocabulary = vocabulary;
        Settings = settings;
        PadTokenId = vocabulary.Require(SpecialTokens.Padding, vocabPath);
        UnkTokenId = vocabulary.Require(SpecialTokens.Unknown, vocabPath);
        ClsTokenId = vocabulary.Require(SpecialTokens.Classifier, vocabPath);
        SepTokenId = vocabulary.Require(SpecialTokens.Separator, vocabPath);
        MaskTokenId = vocabulary.Require(SpecialTokens.Mask, vocabPath);
        basicTokenizer = new BasicTokenizer(settings);
        wordPieceSplitter = new WordPieceSplitter(vocabulary, UnkTokenId);
    }

    public BertTokenizerSettings Settings { get; }

    public int VocabSize => vocabulary.Count;

    public IReadOnlyList<string> Vocabulary => vocabulary.Tokens;

    public int PadTokenId { get; }

    public int UnkTokenId { get; }

    public int ClsTokenId { get; }

    public int SepTokenId { get; }

    public int MaskTokenId { get; }

    /// <summary>Loads <c>vocab.txt</c> and <c>tokenizer_config.json</c> (HF defaults when the latter is missing).</summary>
    public static BertTextTokenizer Load(string directory) =>
        Create(Path.Combine(directory, VocabularyFileName),
            BertTokenizerSettings.Load(Path.Combine(directory, BertTokenizerSettings.FileName)));

    public static BertTextTokenizer Create(string vocabPath, BertTokenizerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ModelMaxLength < 2)
            throw new ArgumentException($"ModelMaxLength must leave room for [CLS] and [SEP], not {settings.ModelMaxLength}.", nameof(settings));
        return new BertTextTokenizer(WordPieceVocabulary.Load(vocabPath), settings, vocabPath);
    }

    /// <summary>Writes <c>vocab.txt</c> and <c>tokenizer_config.json</c> in the HF layout.</summary>
    public void SaveTo(string directory)
    {
        Directory.CreateDirectory(directory);
        vocabulary.Save(Path.Combine(directory, VocabularyFileName));
        Settings.Save(Path.Combine(directory, BertTokenizerSettings.FileName));
    }

    public string IdToToken(int id) => vocabulary[id];

    public int? TokenToId(string token) => vocabulary.Find(token);

    /// <summary>WordPiece tokens of <paramref name="text"/> without special tokens.</summary>
    public IReadOnlyList<WordPieceToken> Tokenize(string text) => TokenizeText(text).Pieces;

    public BertEncoding Encode(string text, string? textPair = null, EncodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = TokenizeText(text);
        var second = textPair is null ? null : TokenizeText(textPair);
        return Assemble(first, second, options ?? EncodeOptions.Default);
    }

    /// <summary>
    /// Encodes pre-split words (token classification): each word is tokenized on its own, <see cref="BertEncoding.WordIds"/>
    /// gives its index and <see cref="BertEncoding.Offsets"/> are char ranges within that word. A word that yields no
    /// token (only whitespace or control characters) has no positions, as in HF.
    /// </summary>
    public BertEncoding EncodeWords(IReadOnlyList<string> words, EncodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(words);
        var tokenized = new TokenizedText([], []);
        var basicWords = new List<BasicWord>();
        for (var index = 0; index < words.Count; index++)
        {
            var word = words[index] ?? throw new ArgumentException($"Word {index} is null.", nameof(words));
            basicWords.Clear();
            basicTokenizer.Split(word, basicWords);
            foreach (var basicWord in basicWords) wordPieceSplitter.Split(basicWord, index, tokenized.Pieces, tokenized.Words);
        }
        return Assemble(tokenized, null, options ?? EncodeOptions.Default);
    }

    /// <summary>
    /// SQuAD-style features: [CLS] question [SEP] context-window [SEP], the question cut to <paramref name="maxQuestionTokens"/>,
    /// the context split into overlapping windows of at most <paramref name="maxLength"/> tokens in total, consecutive
    /// windows sharing <paramref name="stride"/> context tokens (HF <c>return_overflowing_tokens</c>, truncation
    /// only_second). Question tokens have <see cref="BertEncoding.SequenceIds"/> 0 and offsets into the question;
    /// context tokens have 1 and offsets into the context. Windows are not padded.
    /// </summary>
    public IReadOnlyList<BertEncoding> EncodeQuestionContext(string question, string context, int maxLength, int stride, int maxQuestionTokens = 64)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(context);
        if (maxQuestionTokens < 1) throw new ArgumentOutOfRangeException(nameof(maxQuestionTokens), maxQuestionTokens, "Must be at least 1.");
        var questionTokens = TokenizeText(question);
        var contextTokens = TokenizeText(context);
        var keptQuestion = Math.Min(questionTokens.Count, maxQuestionTokens);
        var window = maxLength - keptQuestion - 3;
        if (window < 1)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength,
                $"max length {maxLength} leaves no room for context after {keptQuestion} question tokens and 3 special tokens.");
        if (stride < 0 || stride >= window)
            throw new ArgumentOutOfRangeException(nameof(stride), stride,
                $"The stride must be in [0, {window}): each window holds {window} context tokens and must advance.");

        var encodings = new List<BertEncoding>();
        for (var start = 0; ; start += window - stride)
        {
            var length = Math.Min(window, contextTokens.Count - start);
            var builder = new EncodingBuilder(keptQuestion + length + 3);
            builder.AddSpecial(ClsTokenId, SpecialTokens.Classifier, 0);
            builder.AddSequence(questionTokens.Pieces, questionTokens.Words, 0, keptQuestion, 0);
            builder.AddSpecial(SepTokenId, SpecialTokens.Separator, 0);
            builder.AddSequence(contextTokens.Pieces, contextTokens.Words, start, length, 1);
            builder.AddSpecial(SepTokenId, SpecialTokens.Separator, 1);
            encodings.Add(builder.Build(questionTokens.Count - keptQuestion + contextTokens.Count - length));
            if (start + length >= contextTokens.Count) return encodings;
        }
    }

    private TokenizedText TokenizeText(string text)
    {
        var basicWords = new List<BasicWord>();
        basicTokenizer.Split(text, basicWords);
        var tokenized = new TokenizedText(new List<WordPieceToken>(basicWords.Count + 4), new List<int>(basicWords.Count + 4));
        for (var index = 0; index < basicWords.Count; index++)
            wordPieceSplitter.Split(basicWords[index], index, tokenized.Pieces, tokenized.Words);
        return tokenized;
    }

    private BertEncoding Assemble(TokenizedText first, TokenizedText? second, EncodeOptions options)
    {
        var specials = options.AddSpecialTokens ? (second is null ? 2 : 3) : 0;
        var maxLength = options.MaxLength ?? Settings.ModelMaxLength;
        if (maxLength < 1) throw new ArgumentOutOfRangeException(nameof(options), maxLength, "MaxLength must be positive.");
        if (options.Truncation != TruncationStrategy.None && maxLength < specials)
            throw new ArgumentOutOfRangeException(nameof(options), maxLength, $"MaxLength {maxLength} cannot even hold the {specials} special tokens.");

        var (keepFirst, keepSecond) = SequenceTruncation.Apply(first.Count, second?.Count, maxLength - specials, options.Truncation);
        var builder = new EncodingBuilder(options.PadToMaxLength ? Math.Max(maxLength, keepFirst + keepSecond + specials) : keepFirst + keepSecond + specials);
        if (options.AddSpecialTokens) builder.AddSpecial(ClsTokenId, SpecialTokens.Classifier, 0);
        builder.AddSequence(first.Pieces, first.Words, 0, keepFirst, 0);
        if (options.AddSpecialTokens) builder.AddSpecial(SepTokenId, SpecialTokens.Separator, 0);
        if (second is not null)
        {
            builder.AddSequence(second.Pieces, second.Words, 0, keepSecond, 1);
            if (options.AddSpecialTokens) builder.AddSpecial(SepTokenId, SpecialTokens.Separator, 1);
        }
        if (options.PadToMaxLength) builder.PadTo(maxLength, PadTokenId, SpecialTokens.Padding);
        return builder.Build(first.Count - keepFirst + (second?.Count ?? 0) - keepSecond);
    }

    private sealed record TokenizedText(List<WordPieceToken> Pieces, List<int> Words)
    {
        public int Count => Pieces.Count;
    }
}
