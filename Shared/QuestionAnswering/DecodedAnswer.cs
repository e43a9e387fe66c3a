namespace BertPlatform.Shared.QuestionAnswering;

/// <summary>
/// One n-best candidate: the context text between <see cref="ContextStart"/> and <see cref="ContextEnd"/>, its score
/// (start logit + end logit) and its softmax probability among the n-best. The null answer has empty text, offsets
/// 0..0 and <see cref="IsNoAnswer"/> set.
/// </summary>
public sealed record AnswerCandidate(
    string Text,
    int ContextStart,
    int ContextEnd,
    float StartLogit,
    float EndLogit,
    double Score,
    double Probability,
    bool IsNoAnswer);

/// <summary>
/// The decoded answer of one question: the prediction ("" for no answer), the n-best candidates best first, and for
/// v2.0 the null-score difference (null score − best span's score; +∞ when no span fits), the value SQuAD's threshold
/// search takes as the no-answer score.
/// </summary>
public sealed record DecodedAnswer(string Prediction, IReadOnlyList<AnswerCandidate> NBest, double? NullScoreDifference);
