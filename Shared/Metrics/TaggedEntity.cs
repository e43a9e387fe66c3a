namespace BertPlatform.Shared.Metrics;

/// <summary>An entity found in a tag sequence: its type and token span [Start, End) within sentence <see cref="Sentence"/>.</summary>
public readonly record struct TaggedEntity(int Sentence, string Type, int Start, int End);
