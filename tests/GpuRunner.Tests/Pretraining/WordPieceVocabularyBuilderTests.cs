using System.Text;
using BertPlatform.GpuRunner.Pretraining;
using BertPlatform.Shared.Tokenization;
using Xunit.Abstractions;

namespace BertPlatform.GpuRunner.Tests.Pretraining;

public sealed class WordPieceVocabularyBuilderTests(ITestOutputHelper output)
{
    private static readonly Lazy<IReadOnlyList<string>> Multilingual3000 = new(() =>
        WordPieceVocabularyBuilder.Build(SyntheticMultilingualText.Sentences(20_000, seed: 1),
            new WordPieceVocabularyOptions { VocabularySize = 3_000 }));

    [Fact]
    public void The_requested_size_is_honoured_with_unique_tokens()
    {
        var vocabulary = Multilingual3000.Value;
        Assert.Equal(3_000, vocabulary.Count);
        Assert.Equal(vocabulary.Count, vocabulary.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(vocabulary, token => token.Length == 0 || token.Any(char.IsWhiteSpace));
    }

    [Fact]
    public void Special_tokens_come_first_in_the_multilingual_bert_layout()
    {
        var vocabulary = Multilingual3000.Value;
        Assert.Equal("[PAD]", vocabulary[0]);
        Assert.Equal("[unused1]", vocabulary[1]);
        Assert.Equal("[unused99]", vocabulary[99]);
        Assert.Equal("[UNK]", vocabulary[100]);
        Assert.Equal("[CLS]", vocabulary[101]);
        Assert.Equal("[SEP]", vocabulary[102]);
        Assert.Equal("[MASK]", vocabulary[103]);
        Assert.DoesNotContain(vocabulary.Skip(104), token => token.StartsWith('[') && token.EndsWith(']') && token.Length > 1);

        // The real mBERT vocab.txt has the same head, so ids 0 and 100-103 mean the same in both.
        var mbert = File.ReadLines(Path.Combine(TestSupport.TestAssets.MultilingualVocab, "vocab.txt")).Take(104);
        Assert.Equal(mbert, vocabulary.Take(104));
    }

    [Fact]
    public void The_compact_layout_puts_the_five_specials_first()
    {
        var vocabulary = WordPieceVocabularyBuilder.Build(SyntheticMultilingualText.Sentences(2_000, seed: 2),
            new WordPieceVocabularyOptions { VocabularySize = 1_200, SpecialTokenLayout = SpecialTokenLayout.Compact });
        Assert.Equal(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"], vocabulary.Take(5));
        Assert.Equal(1_200, vocabulary.Count);
    }

    [Fact]
    public void Every_character_seen_is_a_token_with_and_without_the_continuation_prefix()
    {
        var vocabulary = Multilingual3000.Value.ToHashSet(StringComparer.Ordinal);
        var characters = SyntheticMultilingualText.Sentences(20_000, seed: 1)
            .SelectMany(sentence => sentence.EnumerateRunes())
            .Where(rune => !Rune.IsWhiteSpace(rune))
            .Select(rune => rune.ToString())
            .ToHashSet();
        Assert.Contains("中", characters);
        Assert.Contains("é", characters);
        foreach (var character in characters)
        {
            Assert.Contains(character, vocabulary);
            Assert.Contains("##" + character, vocabulary);
        }
    }

    [Fact]
    public void Cjk_ideographs_and_punctuation_are_never_merged_into_longer_pieces()
    {
        var vocabulary = Multilingual3000.Value;
        foreach (var token in vocabulary.Skip(104))
        {
            var body = token.StartsWith("##", StringComparison.Ordinal) ? token[2..] : token;
            var runes = body.EnumerateRunes().ToList();
            if (runes.Count < 2) continue;
            Assert.DoesNotContain(runes, rune => BasicPreTokenizer.IsChineseCharacter(rune.Value));
            Assert.DoesNotContain(runes, BasicPreTokenizer.IsPunctuation);
        }
        // Learned pieces exist beyond the alphabet: multi-character words and ## endings.
        Assert.Contains(vocabulary, token => !token.StartsWith("##", StringComparison.Ordinal) && token.Length >= 4);
        Assert.Contains(vocabulary, token => token.StartsWith("##", StringComparison.Ordinal) && token.Length >= 5);
    }

    [Fact]
    public void The_built_vocabulary_tokenizes_held_out_text_compactly_with_almost_no_unknowns()
    {
        var vocabulary = Multilingual3000.Value.ToHashSet(StringComparer.Ordinal);
        var preTokenizer = new BasicPreTokenizer();
        long words = 0, pieces = 0, unknown = 0, characters = 0;
        foreach (var sentence in SyntheticMultilingualText.Sentences(2_000, seed: 99))
        {
            foreach (var word in preTokenizer.Split(sentence))
            {
                words++;
                characters += word.EnumerateRunes().Count();
                var wordPieces = GreedyLongestMatch(word, vocabulary);
                pieces += wordPieces.Count;
                unknown += wordPieces.Count(piece => piece == "[UNK]");
            }
        }
        output.WriteLine($"{words} words, {characters} characters -> {pieces} pieces " +
            $"({(double)pieces / words:F2} per word, {(double)pieces / characters:F2} per character), {unknown} [UNK]");
        Assert.True(unknown <= words / 1_000, $"{unknown} unknown of {words} words");
        Assert.True(pieces < characters * 0.5, $"{pieces} pieces for {characters} characters");
    }

    [Fact]
    public void Case_is_kept_unless_lower_casing_is_asked_for_which_also_strips_accents()
    {
        var cased = Multilingual3000.Value;
        Assert.Contains(cased, token => token.Any(char.IsUpper));
        Assert.Contains("é", cased);

        var uncased = WordPieceVocabularyBuilder.Build(SyntheticMultilingualText.Sentences(5_000, seed: 1),
            new WordPieceVocabularyOptions { VocabularySize = 2_000, LowerCase = true });
        Assert.DoesNotContain(uncased.Skip(104), token => token.Any(char.IsUpper));
        Assert.DoesNotContain("é", uncased);
        Assert.Contains("e", uncased);
    }

    [Fact]
    public void A_size_too_small_for_the_alphabet_is_rejected_with_the_numbers()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            WordPieceVocabularyBuilder.Build(SyntheticMultilingualText.Sentences(500, seed: 3),
                new WordPieceVocabularyOptions { VocabularySize = 200 }));
        Assert.Contains("104 special tokens", error.Message);
        Assert.Contains("VocabularySize 200", error.Message);
    }

    [Fact]
    public void A_limited_alphabet_keeps_the_most_frequent_characters()
    {
        var vocabulary = WordPieceVocabularyBuilder.Build(SyntheticMultilingualText.Sentences(3_000, seed: 4),
            new WordPieceVocabularyOptions { VocabularySize = 500, MaxAlphabetSize = 100 });
        var singleCharacters = vocabulary.Skip(104).Where(token => token.EnumerateRunes().Count() == 1).ToList();
        Assert.Equal(100, singleCharacters.Count);
        Assert.Contains("a", singleCharacters);
        Assert.Equal(500, vocabulary.Count);
    }

    [Fact]
    public void Building_is_deterministic_and_the_saved_file_loads_back_with_the_same_ids()
    {
        var again = WordPieceVocabularyBuilder.Build(SyntheticMultilingualText.Sentences(20_000, seed: 1),
            new WordPieceVocabularyOptions { VocabularySize = 3_000 });
        Assert.Equal(Multilingual3000.Value, again);

        var directory = Path.Combine(Path.GetTempPath(), "wordpiece-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(directory, "vocab.txt");
            WordPieceVocabularyBuilder.Save(again, path);
            var bytes = File.ReadAllBytes(path);
            Assert.NotEqual(0xEF, bytes[0]); // no byte-order mark
            Assert.Equal(again, File.ReadAllLines(path));
            var loaded = PretrainingVocabulary.Load(path);
            Assert.Equal(101, loaded.ClsId);
            Assert.Equal(102, loaded.SepId);
            Assert.Equal(103, loaded.MaskId);
            Assert.Equal(again.Count, loaded.Count);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Pruning_rare_words_keeps_the_word_table_bounded_and_the_alphabet_complete()
    {
        var builder = new WordPieceVocabularyBuilder(new WordPieceVocabularyOptions { VocabularySize = 1_500, MaxDistinctWords = 500 });
        var sentences = SyntheticMultilingualText.Sentences(5_000, seed: 5).ToList();
        foreach (var sentence in sentences)
        {
            builder.AddText(sentence);
            Assert.True(builder.DistinctWords <= 500);
        }
        var vocabulary = builder.Build().ToHashSet(StringComparer.Ordinal);
        foreach (var rune in sentences.SelectMany(s => s.EnumerateRunes()).Where(r => !Rune.IsWhiteSpace(r)).Distinct())
            Assert.Contains("##" + rune, vocabulary);
    }

    /// <summary>BERT's WordPiece tokenization of one word: greedy longest match, ## after the first piece.</summary>
    private static List<string> GreedyLongestMatch(string word, HashSet<string> vocabulary)
    {
        var pieces = new List<string>();
        var start = 0;
        while (start < word.Length)
        {
            string? match = null;
            var end = word.Length;
            for (; end > start; end--)
            {
                if (char.IsLowSurrogate(word[end - 1]) && end - 1 > start) continue;
                var candidate = (start > 0 ? "##" : "") + word[start..end];
                if (vocabulary.Contains(candidate))
                {
                    match = candidate;
                    break;
                }
            }
            if (match is null) return ["[UNK]"];
            pieces.Add(match);
            start = end;
        }
        return pieces;
    }
}
