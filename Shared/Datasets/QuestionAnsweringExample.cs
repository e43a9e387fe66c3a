namespace BertPlatform.Shared.Datasets;

/// <summary>
/// An answer as a span of the context. <paramref name="Start"/> is a .NET character (UTF-16) index into the context,
/// converted from the code-point <c>answer_start</c> of SQuAD files, so <c>context.Substring(Start, Text.Length) == Text</c>.
/// </summary>
public sealed record AnswerSpan(string Text, int Start);

/// <summary>
/// One question about a context; SQuAD v2.0 questions without an answer have <paramref name="IsImpossible"/> set and
/// no answers. <paramref name="Language"/> is the question's tag from the optional language field (JSONL: the record's;
/// SQuAD JSON: the question's, else its paragraph's, else its article's), normalized by <see cref="LanguageTag"/>;
/// null where none is given.
/// </summary>
public sealed record QuestionAnsweringExample(string Id, string Question, string Context, IReadOnlyList<AnswerSpan> Answers, bool IsImpossible,
    string? Language = null);
