using BertPlatform.GpuRunner.Training;

namespace BertPlatform.GpuRunner.Tests.Training;

public class LengthGroupedBatchesTests
{
    private static readonly int[] lengths = Enumerable.Range(0, 1000).Select(i => 5 + (i * 7919) % 120).ToArray();

    [Fact]
    public void Every_example_appears_exactly_once_per_epoch()
    {
        var batches = LengthGroupedBatches.ForTraining(lengths, 16, seed: 3);
        Assert.Equal(Enumerable.Range(0, lengths.Length), batches.SelectMany(b => b).Order());
        Assert.All(batches, b => Assert.InRange(b.Length, 1, 16));
    }

    [Fact]
    public void Batches_group_similar_lengths_so_padding_shrinks()
    {
        static long Padded(IEnumerable<int[]> batches) => batches.Sum(b => (long)b.Max(i => lengths[i]) * b.Length);
        var grouped = Padded(LengthGroupedBatches.ForTraining(lengths, 16, seed: 3));
        var random = Padded(Enumerable.Range(0, lengths.Length).OrderBy(i => (i * 31337) % 1009).Chunk(16));
        var real = lengths.Sum();
        // Random batches pay for the longest of 16 uniformly drawn lengths; grouped ones stay close to the real token count.
        Assert.True(grouped < real * 1.1, $"grouped batches hold {grouped} token slots for {real} tokens");
        Assert.True(random > real * 1.5, $"random batches hold {random} token slots for {real} tokens");
    }

    [Fact]
    public void The_order_is_a_function_of_the_seed()
    {
        var a = LengthGroupedBatches.ForTraining(lengths, 8, 11);
        Assert.Equal(a.SelectMany(b => b), LengthGroupedBatches.ForTraining(lengths, 8, 11).SelectMany(b => b));
        Assert.NotEqual(a.SelectMany(b => b), LengthGroupedBatches.ForTraining(lengths, 8, 12).SelectMany(b => b));
    }
}
