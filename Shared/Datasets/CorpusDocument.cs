namespace BertPlatform.Shared.Datasets;

/// <summary>One document of a pre-training corpus as its sentences, in order; next-sentence pairs never cross documents.</summary>
public sealed record CorpusDocument(IReadOnlyList<string> Sentences);
