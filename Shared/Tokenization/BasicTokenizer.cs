using System.Globalization;
using System.Text;

namespace BertPlatform.Shared.Tokenization;

/// <summary>
/// BERT's pre-WordPiece split, following HF transformers 4.31's slow <c>BertTokenizer</c>: literal special tokens
/// are kept whole; the rest is cleaned (controls, NUL and U+FFFD dropped, whitespace → space), CJK ideographs are
/// isolated, the text is NFC-normalized, split on whitespace, lower-cased and/or accent-stripped per settings,
/// then split on punctuation. Every produced char remembers the original range it came from.
/// NFC: implemented (as HF 4.31 slow does); Google's original tokenizer and HF fast tokenizers skip it, which only
/// changes results for input that is not already NFC (e.g. a decomposed "e + U+0301").
/// </summary>
internal sealed class BasicTokenizer(BertTokenizerSettings settings)
{
    private const int Space = ' ';

    /// <summary>A code point of the normalized text and the original range [Start, End) it stands for.</summary>
    private readonly record struct Unit(int CodePoint, int Start, int End);

    public void Split(string text, List<BasicWord> words)
    {
        var position = 0;
        while (position < text.Length)
        {
            var (specialStart, special) = FindNextSpecialToken(text, position);
            SplitPlainText(text, position, specialStart < 0 ? text.Length : specialStart, words);
            if (specialStart < 0) break;
            words.Add(SpecialWord(special!, specialStart));
            position = specialStart + special!.Length;
        }
    }

    private static (int Start, string? Token) FindNextSpecialToken(string text, int from)
    {
        if (text.IndexOf('[', from) < 0) return (-1, null);
        var bestStart = -1;
        string? best = null;
        foreach (var token in SpecialTokens.All)
        {
            var index = text.IndexOf(token, from, StringComparison.Ordinal);
            if (index >= 0 && (bestStart < 0 || index < bestStart || (index == bestStart && token.Length > best!.Length)))
                (bestStart, best) = (index, token);
        }
        return (bestStart, best);
    }

    private static BasicWord SpecialWord(string token, int start)
    {
        var starts = new int[token.Length];
        var ends = new int[token.Length];
        for (var i = 0; i < token.Length; i++) (starts[i], ends[i]) = (start + i, start + i + 1);
        return new BasicWord(token, starts, ends, IsSpecialToken: true);
    }

    private void SplitPlainText(string text, int start, int end, List<BasicWord> words)
    {
        if (start >= end) return;
        var units = Clean(text, start, end);
        units = ComposeNfc(units);
        var wordStart = -1;
        for (var i = 0; i <= units.Count; i++)
        {
            var isBoundary = i == units.Count || units[i].CodePoint == Space || Rune.IsWhiteSpace(new Rune(units[i].CodePoint));
            if (!isBoundary && wordStart < 0) wordStart = i;
            if (isBoundary && wordStart >= 0)
            {
                ProcessWord(units, wordStart, i, words);
                wordStart = -1;
            }
        }
    }

    private List<Unit> Clean(string text, int start, int end)
    {
        var units = new List<Unit>(end - start);
        for (var i = start; i < end;)
        {
            // A lone surrogate cannot be a Rune; it decodes as U+FFFD and is dropped like U+FFFD itself.
            Rune.DecodeFromUtf16(text.AsSpan(i, end - i), out var rune, out var consumed);
            var codePoint = rune.Value;
            var unitEnd = i + consumed;
            if (codePoint == 0 || codePoint == 0xFFFD || UnicodeClasses.IsControl(codePoint)) { }
            else if (UnicodeClasses.IsWhitespace(codePoint)) units.Add(new Unit(Space, i, unitEnd));
            else if (settings.TokenizeChineseChars && UnicodeClasses.IsCjkIdeograph(codePoint))
            {
                units.Add(new Unit(Space, i, unitEnd));
                units.Add(new Unit(codePoint, i, unitEnd));
                units.Add(new Unit(Space, i, unitEnd));
            }
            else units.Add(new Unit(codePoint, i, unitEnd));
            i = unitEnd;
        }
        return units;
    }

    /// <summary>
    /// NFC per composition cluster (a starter and the marks/jamo that follow it) so each composed char can still
    /// point at the original chars it replaced.
    /// </summary>
    private static List<Unit> ComposeNfc(List<Unit> units)
    {
        // Nothing below U+0300 composes or has a singleton decomposition.
        if (!units.Exists(u => u.CodePoint >= 0x300)) return units;
        var composed = new List<Unit>(units.Count);
        var builder = new StringBuilder();
        for (var clusterStart = 0; clusterStart < units.Count;)
        {
            var clusterEnd = clusterStart + 1;
            while (clusterEnd < units.Count && UnicodeClasses.CanComposeWithPrevious(units[clusterEnd].CodePoint)) clusterEnd++;
            if (clusterEnd - clusterStart == 1 && units[clusterStart].CodePoint < 0x300)
            {
                composed.Add(units[clusterStart]);
                clusterStart = clusterEnd;
                continue;
            }
            builder.Clear();
            for (var i = clusterStart; i < clusterEnd; i++) AppendRune(builder, new Rune(units[i].CodePoint));
            var cluster = builder.ToString();
            var normalized = cluster.IsNormalized(NormalizationForm.FormC) ? null : cluster.Normalize(NormalizationForm.FormC);
            if (normalized is null)
                for (var i = clusterStart; i < clusterEnd; i++) composed.Add(units[i]);
            else
            {
                var (from, to) = (units[clusterStart].Start, units[clusterEnd - 1].End);
                foreach (var rune in normalized.EnumerateRunes()) composed.Add(new Unit(rune.Value, from, to));
            }
            clusterStart = clusterEnd;
        }
        return composed;
    }

    private void ProcessWord(List<Unit> units, int start, int end, List<BasicWord> words)
    {
        var word = units.GetRange(start, end - start);
        // HF keeps never-split tokens whole even when cleaning created them (e.g. "[MA\u200bSK]").
        if (IsSpecialToken(word))
        {
            words.Add(ToWord(word, 0, word.Count, isSpecial: true));
            return;
        }
        if (settings.DoLowerCase) word = LowerCase(word);
        if (settings.StripAccents) word = StripAccents(word);

        var pieceStart = 0;
        for (var i = 0; i < word.Count; i++)
        {
            if (!UnicodeClasses.IsPunctuation(word[i].CodePoint)) continue;
            if (i > pieceStart) words.Add(ToWord(word, pieceStart, i, isSpecial: false));
            words.Add(ToWord(word, i, i + 1, isSpecial: false));
            pieceStart = i + 1;
        }
        if (word.Count > pieceStart) words.Add(ToWord(word, pieceStart, word.Count, isSpecial: false));
    }

    private static bool IsSpecialToken(List<Unit> word)
    {
        if (word.Count < 5 || word[0].CodePoint != '[') return false;
        foreach (var token in SpecialTokens.All)
        {
            if (token.Length != word.Count) continue;
            var same = true;
            for (var i = 0; i < token.Length && same; i++) same = word[i].CodePoint == token[i];
            if (same) return true;
        }
        return false;
    }

    /// <summary>
    /// Python's <c>str.lower()</c> on one whitespace-separated word: simple lower-case mappings plus the two
    /// context rules that matter in practice, U+0130 → "i\u0307" and Greek final sigma.
    /// </summary>
    private static List<Unit> LowerCase(List<Unit> word)
    {
        var lowered = new List<Unit>(word.Count);
        for (var i = 0; i < word.Count; i++)
        {
            var codePoint = word[i].CodePoint;
            if (codePoint == CapitalIWithDotAbove)
            {
                lowered.Add(word[i] with { CodePoint = 'i' });
                lowered.Add(word[i] with { CodePoint = CombiningDotAbove });
            }
            else if (codePoint == CapitalSigma && IsFinalSigma(word, i)) lowered.Add(word[i] with { CodePoint = FinalSigma });
            else lowered.Add(word[i] with { CodePoint = UnicodeClasses.ToLower(codePoint) });
        }
        return lowered;
    }

    private const int CapitalIWithDotAbove = 0x130;
    private const int CombiningDotAbove = 0x307;
    private const int CapitalSigma = 0x3A3;
    private const int FinalSigma = 0x3C2;

    /// <summary>Unicode's Final_Sigma: a cased letter before (skipping case-ignorables) and none after.</summary>
    private static bool IsFinalSigma(List<Unit> word, int index)
    {
        static bool Cased(int c) => Rune.IsUpper(new Rune(c)) || Rune.IsLower(new Rune(c))
            || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.TitlecaseLetter;
        static bool CaseIgnorable(int c) => c is '\'' or '.' or ':' or 0xB7 or 0x2019
            || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;

        var before = index - 1;
        while (before >= 0 && CaseIgnorable(word[before].CodePoint)) before--;
        if (before < 0 || !Cased(word[before].CodePoint)) return false;
        var after = index + 1;
        while (after < word.Count && CaseIgnorable(word[after].CodePoint)) after++;
        return after == word.Count || !Cased(word[after].CodePoint);
    }

    /// <summary>NFD then drop category Mn (this also drops e.g. Devanagari virama, as real uncased BERT does).</summary>
    private static List<Unit> StripAccents(List<Unit> word)
    {
        if (!word.Exists(u => u.CodePoint >= 0xC0)) return word;
        var stripped = new List<Unit>(word.Count);
        foreach (var unit in word)
        {
            if (unit.CodePoint < 0xC0)
            {
                stripped.Add(unit);
                continue;
            }
            foreach (var rune in new Rune(unit.CodePoint).ToString().Normalize(NormalizationForm.FormD).EnumerateRunes())
                if (!UnicodeClasses.IsNonSpacingMark(rune.Value)) stripped.Add(unit with { CodePoint = rune.Value });
        }
        return stripped;
    }

    private static BasicWord ToWord(List<Unit> units, int start, int end, bool isSpecial)
    {
        var builder = new StringBuilder(end - start);
        var starts = new List<int>(end - start);
        var ends = new List<int>(end - start);
        for (var i = start; i < end; i++)
        {
            var rune = new Rune(units[i].CodePoint);
            AppendRune(builder, rune);
            for (var c = 0; c < rune.Utf16SequenceLength; c++)
            {
                starts.Add(units[i].Start);
                ends.Add(units[i].End);
            }
        }
        return new BasicWord(builder.ToString(), starts.ToArray(), ends.ToArray(), isSpecial);
    }

    private static void AppendRune(StringBuilder builder, Rune rune)
    {
        Span<char> chars = stackalloc char[2];
        builder.Append(chars[..rune.EncodeToUtf16(chars)]);
    }
}
