namespace BertPlatform.Shared.QuestionAnswering;

/// <summary>
/// One window (feature) of a question and a long context: the model's start/end logits per token and, per token, its
/// character range in the ORIGINAL context, or null for tokens outside the context ([CLS], question, [SEP], padding).
/// Token 0 must be [CLS]: its start+end logits are the window's no-answer score.
/// </summary>
public sealed record AnswerWindow(IReadOnlyList<float> StartLogits, IReadOnlyList<float> EndLogits, IReadOnlyList<Range?> ContextOffsets);
