namespace BertPlatform.Shared.Contracts;

/// <summary>Settings of token-classification (NER, POS) jobs.</summary>
public sealed record TokenClassificationOptions
{
    /// <summary>
    /// False (the BERT paper's choice): only a word's first sub-word carries its tag and the rest are ignored by the
    /// loss. True: every sub-word carries the word's tag (B- becomes I- after the first piece).
    /// </summary>
    public bool LabelAllSubwords { get; init; }
}
