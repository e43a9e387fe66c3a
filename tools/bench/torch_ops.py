#!/usr/bin/env python3
"""PyTorch side of `GpuRunner bench --ops`: the same operations of a BERT training step, at the same shapes, each
timed alone (forward, then backward as forward-and-backward less forward) and multiplied by how often one step runs
it. Run it right after `bench --ops` on the same machine, with the same --batch/--seq/--steps, and compare line by line.

    /usr/bin/python3 tools/bench/torch_ops.py --batch 8 --seq 128 --steps 3
"""
import argparse, json, os, time
import torch
import torch.nn.functional as F


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--vocab", type=int, default=119547)
    a = ap.parse_args()
    torch.set_num_threads(os.cpu_count())
    b, t, h, inner, heads, layers = a.batch, a.seq, 768, 3072, 12, 12

    def act(width):
        return torch.randn(b, t, width, requires_grad=True)

    def weight(rows, cols):
        return torch.nn.Parameter(torch.randn(rows, cols) * 0.02)

    def bias(n):
        return torch.nn.Parameter(torch.zeros(n))

    def split(x):
        return x.view(b, t, heads, h // heads).transpose(1, 2)

    words = torch.nn.Embedding(a.vocab, h)
    ops = [
        ("linear_hidden_to_hidden", 4 * layers, lambda: [act(h), weight(h, h), bias(h)], lambda x: F.linear(*x)),
        ("linear_hidden_to_intermediate", layers, lambda: [act(h), weight(inner, h), bias(inner)], lambda x: F.linear(*x)),
        ("linear_intermediate_to_hidden", layers, lambda: [act(inner), weight(h, inner), bias(h)], lambda x: F.linear(*x)),
        ("attention_with_dropout", layers, lambda: [act(h), act(h), act(h)],
         lambda x: F.scaled_dot_product_attention(split(x[0]), split(x[1]), split(x[2]), None, 0.1)
         if hasattr(F, "scaled_dot_product_attention") else
         F.dropout((split(x[0]) @ split(x[1]).transpose(-1, -2) / 8.0).softmax(-1), 0.1) @ split(x[2])),
        ("heads_merge", layers, lambda: [torch.randn(b, heads, t, h // heads, requires_grad=True)],
         lambda x: x[0].transpose(1, 2).reshape(b, t, h)),
        ("layer_norm", 2 * layers + 1, lambda: [act(h), torch.nn.Parameter(torch.ones(h)), bias(h)],
         lambda x: F.layer_norm(x[0], [h], x[1], x[2], 1e-12)),
        ("gelu", layers, lambda: [act(inner)], lambda x: F.gelu(x[0])),
        ("dropout_hidden", 2 * layers + 1, lambda: [act(h)], lambda x: F.dropout(x[0], 0.1, True)),
        ("residual_add", 2 * layers, lambda: [act(h), act(h)], lambda x: x[0] + x[1]),
        ("word_embedding", 1, lambda: [torch.randint(1, a.vocab, (b, t)), words.weight], lambda x: words(x[0])),
    ]
    for name, per_step, inputs, run in ops:
        x = inputs()
        fwd = both = 0.0
        for i in range(a.steps + 1):
            t0 = time.perf_counter()
            y = run(x)
            t1 = time.perf_counter()
            y.backward(torch.ones_like(y))
            t2 = time.perf_counter()
            if i > 0:
                fwd += t1 - t0
                both += t2 - t0
            # As between training steps: parameters keep their gradients, zeroed in place (torch.optim's zero_grad
            # in the anchor's PyTorch 1.13); activations are new every step.
            for tensor in x:
                if isinstance(tensor, torch.nn.Parameter):
                    if tensor.grad is not None:
                        tensor.grad.zero_()
                elif tensor.requires_grad:
                    tensor.grad = None
        f, bw = fwd / a.steps, (both - fwd) / a.steps
        print(json.dumps({"op": name, "per_step": per_step, "forward_ms": round(f * 1000, 3), "backward_ms": round(bw * 1000, 3),
                          "step_forward_seconds": round(f * per_step, 4), "step_backward_seconds": round(bw * per_step, 4)}))


if __name__ == "__main__":
    main()
