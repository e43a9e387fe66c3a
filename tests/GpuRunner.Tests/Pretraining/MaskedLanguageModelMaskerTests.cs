using BertPlatform.GpuRunner.Pretraining;
using BertPlatform.Shared.Tokenization;
using Xunit.Abstractions;

namespace BertPlatform.GpuRunner.Tests.Pretraining;

public sealed class MaskedLanguageModelMaskerTests(ITestOutputHelper output)
{
    // Compact specials, then 2,000 words and 2,000 continuation pieces.
    private static readonly PretrainingVocabulary Vocabulary = new(
        [.. SpecialTokens.For(SpecialTokenLayout.Compact),
            .. Enumerable.Range(0, 2_000).Select(i => $"w{i}"),
            .. Enumerable.Range(0, 2_000).Select(i => $"##p{i}")]);

    private static readonly int FirstWord = Vocabulary.TryGetId("w0")!.Value;
    private static readonly int FirstPiece = Vocabulary.TryGetId("##p0")!.Value;

    [Fact]
    public void Chooses_fifteen_percent_of_tokens_capped_and_splits_them_80_10_10()
    {
        var masker = new MaskedLanguageModelMasker(Vocabulary, 0.15, maxPredictionsPerSeq: 20, wholeWordMask: false);
        var random = new PretrainingRandom(3);
        var sequenceRandom = new PretrainingRandom(4);
        long predictions = 0, masked = 0, kept = 0, replaced = 0, tokens = 0, nonSpecial = 0, uncappedPredictions = 0,
            uncappedNonSpecial = 0;
        var replacementIds = new List<int>();

        var cappedSequences = 0;
        for (var n = 0; n < 10_000; n++)
        {
            var sequence = RandomSequence(sequenceRandom, sequenceRandom.NextInt(8, 200), withPieces: false);
            var result = masker.Mask(sequence, random);

            var expectedCount = Math.Min(20, Math.Max(1, (int)Math.Round(sequence.Length * 0.15)));
            Assert.Equal(expectedCount, result.Positions.Length);
            Assert.Equal(result.Positions.Order(), result.Positions);
            tokens += sequence.Length;
            nonSpecial += sequence.Length - 3;
            if (Math.Round(sequence.Length * 0.15) > 20) cappedSequences++;
            else
            {
                uncappedPredictions += result.Positions.Length;
                uncappedNonSpecial += sequence.Length - 3;
            }

            for (var i = 0; i < sequence.Length; i++)
            {
                var predicted = result.Labels[i] != PretrainingInstance.NotPredicted;
                Assert.Equal(predicted, result.Positions.Contains(i));
                if (!predicted)
                {
                    Assert.Equal(sequence[i], result.InputIds[i]);
                    continue;
                }
                Assert.NotEqual(Vocabulary.ClsId, sequence[i]);
                Assert.NotEqual(Vocabulary.SepId, sequence[i]);
                Assert.Equal(sequence[i], result.Labels[i]);
                predictions++;
                if (result.InputIds[i] == Vocabulary.MaskId) masked++;
                else if (result.InputIds[i] == sequence[i]) kept++;
                else
                {
                    replaced++;
                    replacementIds.Add(result.InputIds[i]);
                }
            }
        }

        var maskShare = (double)masked / predictions;
        var keptShare = (double)kept / predictions;
        var replacedShare = (double)replaced / predictions;
        output.WriteLine($"{predictions} predictions over {tokens} tokens: {(double)predictions / tokens:P2} of all tokens, " +
            $"{(double)predictions / nonSpecial:P2} of non-special tokens (uncapped sequences: " +
            $"{(double)uncappedPredictions / uncappedNonSpecial:P2}); [MASK] {maskShare:P2}, kept {keptShare:P2}, " +
            $"random {replacedShare:P2}");

        Assert.True(predictions > 100_000, $"{predictions} predictions");
        Assert.True(cappedSequences > 1_000, $"{cappedSequences} sequences reach the cap");
        Assert.InRange(maskShare, 0.79, 0.81);
        // A random draw can hit the original token (1 in 4,005), which then counts as kept.
        Assert.InRange(keptShare, 0.09, 0.11);
        Assert.InRange(replacedShare, 0.09, 0.11);
        // Below the cap, round(0.15 × length) of tokens, i.e. 15% of non-special tokens plus a fraction of the 3 specials.
        Assert.InRange((double)uncappedPredictions / uncappedNonSpecial, 0.15, 0.165);

        // Random replacements are uniform over the whole vocabulary, not drawn from the sequence.
        var tenths = replacementIds.GroupBy(id => id * 10 / Vocabulary.Count).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, tenths.Count);
        foreach (var (_, count) in tenths)
            Assert.InRange(count, replacementIds.Count / 10 * 0.9, replacementIds.Count / 10 * 1.1);
    }

    [Fact]
    public void A_short_sequence_still_gets_one_prediction_and_never_a_special_token()
    {
        var masker = new MaskedLanguageModelMasker(Vocabulary, 0.15, 20, wholeWordMask: false);
        var random = new PretrainingRandom(5);
        int[] sequence = [Vocabulary.ClsId, FirstWord, Vocabulary.SepId, FirstWord + 1, Vocabulary.SepId];
        var hits = new int[sequence.Length];
        for (var n = 0; n < 2_000; n++)
        {
            var result = masker.Mask(sequence, random);
            var position = Assert.Single(result.Positions);
            hits[position]++;
        }
        Assert.Equal(0, hits[0] + hits[2] + hits[4]);
        Assert.InRange(hits[1], 900, 1_100);
    }

    [Fact]
    public void Whole_word_masking_keeps_the_pieces_of_a_word_together()
    {
        var masker = new MaskedLanguageModelMasker(Vocabulary, 0.15, 20, wholeWordMask: true);
        var random = new PretrainingRandom(6);
        var sequenceRandom = new PretrainingRandom(7);
        long predictions = 0, budgets = 0, multiPieceWordsMasked = 0;
        for (var n = 0; n < 3_000; n++)
        {
            var sequence = RandomSequence(sequenceRandom, sequenceRandom.NextInt(10, 128), withPieces: true);
            var result = masker.Mask(sequence, random);
            var budget = Math.Min(20, Math.Max(1, (int)Math.Round(sequence.Length * 0.15)));
            // Words that would overshoot the budget are skipped, so a sequence can fall short of it.
            Assert.InRange(result.Positions.Length, 0, budget);
            predictions += result.Positions.Length;
            budgets += budget;
            foreach (var word in Words(sequence))
            {
                var chosen = word.Count(result.Positions.Contains);
                Assert.True(chosen == 0 || chosen == word.Count,
                    $"word at {word[0]} of {word.Count} pieces has {chosen} chosen");
                if (chosen > 1) multiPieceWordsMasked++;
            }
        }
        output.WriteLine($"{predictions} predictions ({(double)predictions / budgets:P1} of the budget), " +
            $"{multiPieceWordsMasked} multi-piece words predicted whole");
        Assert.True(multiPieceWordsMasked > 1_000);
        Assert.True(predictions > budgets * 0.95, $"{predictions} of {budgets}");
    }

    [Fact]
    public void Without_whole_word_masking_pieces_are_chosen_independently()
    {
        var masker = new MaskedLanguageModelMasker(Vocabulary, 0.15, 20, wholeWordMask: false);
        var random = new PretrainingRandom(6);
        var sequenceRandom = new PretrainingRandom(7);
        var splitWords = 0;
        for (var n = 0; n < 300; n++)
        {
            var sequence = RandomSequence(sequenceRandom, 100, withPieces: true);
            var result = masker.Mask(sequence, random);
            splitWords += Words(sequence).Count(word =>
                word.Count(result.Positions.Contains) is var chosen && chosen > 0 && chosen < word.Count);
        }
        Assert.True(splitWords > 100, $"{splitWords} words partly chosen");
    }

    /// <summary>[CLS] A [SEP] B [SEP] of random words; with pieces, a word is followed by 0-3 ## pieces.</summary>
    private static int[] RandomSequence(PretrainingRandom random, int length, bool withPieces)
    {
        var tokens = new int[length];
        var firstSep = random.NextInt(2, length - 3);
        for (var i = 0; i < length; i++)
        {
            var previousIsToken = i > 0 && tokens[i - 1] != Vocabulary.ClsId && tokens[i - 1] != Vocabulary.SepId;
            tokens[i] = i == 0 ? Vocabulary.ClsId
                : i == firstSep || i == length - 1 ? Vocabulary.SepId
                : withPieces && previousIsToken && random.NextDouble() < 0.5 ? FirstPiece + random.NextInt(0, 1_999)
                : FirstWord + random.NextInt(0, 1_999);
        }
        return tokens;
    }

    /// <summary>Positions of each word: a non-special token and the ## pieces right after it.</summary>
    private static List<List<int>> Words(int[] sequence)
    {
        var words = new List<List<int>>();
        for (var i = 0; i < sequence.Length; i++)
        {
            if (sequence[i] == Vocabulary.ClsId || sequence[i] == Vocabulary.SepId) continue;
            if (Vocabulary.IsContinuation(sequence[i]) && words.Count > 0 && words[^1][^1] == i - 1) words[^1].Add(i);
            else words.Add([i]);
        }
        return words;
    }
}
