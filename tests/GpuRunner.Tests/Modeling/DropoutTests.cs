using BertPlatform.GpuRunner.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tests.Modeling;

/// <summary>
/// The runner's dropout draws its own masks on the CPU: they must drop with the stated probability, independently
/// from element to element and from draw to draw, repeat under manual_seed, and behave as torch's dropout does in
/// backward and in eval mode.
/// </summary>
public sealed class DropoutTests
{
    private const int Count = 1 << 20;

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void A_mask_drops_each_element_with_the_given_probability_and_scales_the_rest(double probability)
    {
        using var mask = DropoutMask.Scaled([Count], probability, key: 42);
        var values = mask.data<float>().ToArray();
        var dropped = values.Count(v => v == 0f) / (double)Count;
        // Five standard deviations of a binomial proportion: a wrong threshold or a biased hash lands far outside.
        Assert.InRange(dropped, probability - 5 * Sigma(probability, Count), probability + 5 * Sigma(probability, Count));
        Assert.All(values.Where(v => v != 0f).Distinct(), v => Assert.Equal((float)(1 / (1 - probability)), v));
    }

    [Fact]
    public void Elements_and_draws_are_independent_of_one_another()
    {
        const double p = 0.1;
        using var first = DropoutMask.Scaled([Count], p, key: 1);
        using var second = DropoutMask.Scaled([Count], p, key: 2);
        var a = first.data<float>().ToArray().Select(v => v == 0f).ToArray();
        var b = second.data<float>().ToArray().Select(v => v == 0f).ToArray();

        // Neighbours both dropped: p² if independent.
        var pairs = Enumerable.Range(0, Count - 1).Count(i => a[i] && a[i + 1]) / (double)(Count - 1);
        Assert.InRange(pairs, p * p - 5 * Sigma(p * p, Count), p * p + 5 * Sigma(p * p, Count));
        // Two keys agree where both drop or both keep: p² + (1 − p)².
        var agree = p * p + (1 - p) * (1 - p);
        var agreement = Enumerable.Range(0, Count).Count(i => a[i] == b[i]) / (double)Count;
        Assert.InRange(agreement, agree - 5 * Sigma(agree, Count), agree + 5 * Sigma(agree, Count));
        // Every SIMD lane position and both halves of each parallel chunk drop at the same rate.
        foreach (var (period, name) in new[] { (16, "lane"), (2, "parity") })
            for (var residue = 0; residue < period; residue++)
            {
                var members = Enumerable.Range(0, Count).Where(i => i % period == residue).ToArray();
                var rate = members.Count(i => a[i]) / (double)members.Length;
                Assert.True(Math.Abs(rate - p) < 5 * Sigma(p, members.Length), $"{name} {residue} of {period} drops {rate}");
            }
    }

    [Fact]
    public void An_element_draws_the_same_whether_it_falls_in_a_vector_a_tail_or_another_chunk()
    {
        // 13 elements run 8 (or 16) through SIMD and the rest one by one; 2¹⁸ run as parallel chunks.
        using var small = DropoutMask.Scaled([13], 0.5, key: 7);
        using var large = DropoutMask.Scaled([1 << 18], 0.5, key: 7);
        Assert.Equal(small.data<float>().ToArray(), large[..13].data<float>().ToArray());
        using var shaped = DropoutMask.Scaled([512, 512], 0.5, key: 7);
        Assert.True(Identical(shaped.flatten(), large));
    }

    [Fact]
    public void Manual_seed_fixes_every_mask()
    {
        random.manual_seed(11);
        using var first = DropoutMask.Scaled([4096], 0.1);
        using var next = DropoutMask.Scaled([4096], 0.1);
        random.manual_seed(11);
        using var again = DropoutMask.Scaled([4096], 0.1);
        Assert.True(Identical(first, again));
        Assert.False(Identical(first, next));
    }

    [Fact]
    public void Backward_passes_the_gradient_through_the_kept_elements_scaled_as_in_torch()
    {
        using var scope = NewDisposeScope();
        var input = (rand([64, 96]) + 1).requires_grad_(); // no zeros, so a dropped element shows as a zero output
        var output = BertDropout.Apply(input, 0.3);
        output.sum().backward();
        var gradient = input.grad!;
        var kept = output.ne(0);
        Assert.True(gradient.masked_select(kept.logical_not()).eq(0).all().item<bool>());
        Assert.True(gradient.masked_select(kept).eq((float)(1 / 0.7)).all().item<bool>());
        Assert.True(output.allclose(input.detach() * gradient, rtol: 0, atol: 0));
    }

    [Fact]
    public void Eval_mode_and_probability_zero_leave_the_input_and_probability_one_drops_everything()
    {
        using var scope = NewDisposeScope();
        var input = randn([8, 16]);
        using var dropout = new BertDropout(0.4);
        dropout.eval();
        Assert.Same(input, dropout.forward(input));
        Assert.Same(input, BertDropout.Apply(input, 0));
        Assert.True(BertDropout.Apply(input, 1).eq(0).all().item<bool>());
        Assert.Throws<ArgumentOutOfRangeException>(() => new BertDropout(1.5));
    }

    [Fact]
    public void Attention_with_dropout_is_the_fused_kernels_attention_when_nothing_drops_and_unbiased_when_it_does()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(3);
        var (q, k, v) = (randn([2, 3, 5, 8]), randn([2, 3, 5, 8]), randn([2, 3, 5, 8]));
        var padding = BertModel.ExtendedAttentionMask(tensor(new long[,] { { 1, 1, 1, 1, 1 }, { 1, 1, 1, 0, 0 } }), ScalarType.Float32);
        var fused = nn.functional.scaled_dot_product_attention(q, k, v, padding, 0.0);

        // Below 2⁻²⁵ no element drops and the scale rounds to 1, but the hand-written path still runs.
        Assert.True(BertSelfAttention.Attend(q, k, v, padding, 1e-9).allclose(fused, rtol: 1e-5, atol: 1e-6));

        // Dropout scales what it keeps by 1/(1 − p), so the context's expectation is the undropped one.
        var mean = zeros_like(fused);
        const int draws = 4000;
        for (var i = 0; i < draws; i++)
        {
            using var draw = BertSelfAttention.Attend(q, k, v, padding, 0.2);
            mean.add_(draw);
        }
        mean.div_(draws);
        var error = (mean - fused).abs().max().item<float>();
        Assert.True(error < 0.1, $"mean of {draws} dropped contexts is {error} from the undropped one");
        Assert.False(BertSelfAttention.Attend(q, k, v, padding, 0.2).allclose(fused, rtol: 1e-3, atol: 1e-3));
    }

    private static bool Identical(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static double Sigma(double p, int n) => Math.Sqrt(p * (1 - p) / n);
}
