namespace BertPlatform.Shared.Metrics;

/// <summary>Ranks 1..n with tied values sharing the mean of the ranks they span, as scipy's <c>rankdata(method='average')</c>.</summary>
public static class AverageRanks
{
    public static double[] Compute(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        var start = 0;
        while (start < order.Length)
        {
            var end = start + 1;
            while (end < order.Length && values[order[end]] == values[order[start]])
            {
                end++;
            }

            // Positions start..end-1 hold ranks start+1..end; their mean is (start+1+end)/2.
            var shared = (start + 1 + end) / 2.0;
            for (var k = start; k < end; k++)
            {
                ranks[order[k]] = shared;
            }

            start = end;
        }

        return ranks;
    }
}
