namespace BertPlatform.Shared.Metrics;

/// <summary>One question's prediction and its best exact/F1 over the gold answers (0 or 1, and 0..1).</summary>
public sealed record SquadQuestionScore(SquadReference Reference, string Prediction, double Exact, double F1);
