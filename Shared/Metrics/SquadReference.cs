namespace BertPlatform.Shared.Metrics;

/// <summary>A question's gold answers by question id; no answers means the question is unanswerable (SQuAD v2.0).</summary>
public sealed record SquadReference(string Id, IReadOnlyList<string> Answers)
{
    public bool HasAnswer => Answers.Count > 0;
}
