namespace BertPlatform.Shared.Tokenization;

/// <summary>How many tokens of each sequence survive truncation to a token budget (HF <c>truncate_sequences</c>).</summary>
internal static class SequenceTruncation
{
    /// <param name="budget">Tokens allowed for the sequences themselves, special tokens already subtracted.</param>
    public static (int KeepFirst, int KeepSecond) Apply(int first, int? second, int budget, TruncationStrategy strategy)
    {
        var secondCount = second ?? 0;
        var excess = first + secondCount - budget;
        if (excess <= 0 || strategy == TruncationStrategy.None) return (first, secondCount);
        switch (strategy)
        {
            case TruncationStrategy.LongestFirst:
                var (keepFirst, keepSecond) = (first, secondCount);
                for (var removed = 0; removed < excess; removed++)
                {
                    if (second is null || keepFirst > keepSecond) keepFirst--;
                    else keepSecond--;
                }
                return (keepFirst, keepSecond);
            case TruncationStrategy.OnlyFirst:
                if (excess > first)
                    throw new ArgumentException(
                        $"Truncation OnlyFirst cannot fit the input: {excess} tokens must go but the first sequence has {first} " +
                        $"(the second has {secondCount}, the limit leaves {budget}). Use LongestFirst or a larger max length.");
                return (first - excess, secondCount);
            case TruncationStrategy.OnlySecond:
                if (second is null)
                    throw new ArgumentException(
                        $"Truncation OnlySecond needs a text pair; the single text has {first} tokens but the limit leaves {budget}.");
                if (excess > secondCount)
                    throw new ArgumentException(
                        $"Truncation OnlySecond cannot fit the input: {excess} tokens must go but the second sequence has {secondCount} " +
                        $"(the first has {first}, the limit leaves {budget}). Use LongestFirst or a larger max length.");
                return (first, secondCount - excess);
            default:
                throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "Unknown truncation strategy.");
        }
    }
}
