using System.Globalization;
using BertPlatform.Shared.Datasets;

namespace BertPlatform.GpuRunner.Pretraining;

/// <summary>
/// A pre-training corpus in its author's units (documents, sentences, words) and in the model's (WordPiece tokens
/// under the vocabulary the job trains with, and how many of them are [UNK]: a high rate means the vocabulary does
/// not fit the text, and continued pre-training cannot learn what it cannot spell).
/// </summary>
public sealed class CorpusReport
{
    private CorpusCounts counts = new(0, 0, 0);

    public long Documents => counts.Documents;

    public long Sentences => counts.Sentences;

    public long Words => counts.Words;

    public long WordPieceTokens { get; private set; }

    public long UnknownTokens { get; private set; }

    public double UnknownRate => WordPieceTokens == 0 ? 0 : (double)UnknownTokens / WordPieceTokens;

    /// <summary>Counts one document: its sentences as written and as word pieces.</summary>
    public void Add(CorpusDocument document, IReadOnlyList<IReadOnlyList<string>> pieces, string unknownToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(pieces);
        counts = counts.Add(CorpusCounts.Of(document));
        foreach (var sentence in pieces)
        {
            WordPieceTokens += sentence.Count;
            foreach (var piece in sentence)
                if (piece == unknownToken) UnknownTokens++;
        }
    }

    public string Describe(string vocabulary) => string.Create(CultureInfo.InvariantCulture,
        $"corpus: {Documents:N0} documents, {Sentences:N0} sentences, {Words:N0} words; {WordPieceTokens:N0} WordPiece tokens under {vocabulary} ({(double)WordPieceTokens / Math.Max(1, Words):0.00} per word), {UnknownTokens:N0} [UNK] ({UnknownRate * 100:0.00}%)");
}
