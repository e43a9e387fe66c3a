using System.Diagnostics;
using System.Text.Json;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Cli;

/// <summary>
/// Throughput of BertForSequenceClassification (mBERT shape unless --config is given) on random ids, after warm-up
/// steps: training steps (forward, backward, the trainer's fused AdamW) or, with --inference, forward passes in eval
/// mode without autograd. The same work as the team's PyTorch eager anchor script (README, Performance), so the two can be run side by side.
/// Prints one JSON line. With --ops, each kind of operation is timed alone instead (<see cref="OperatorProfile"/>).
/// </summary>
public static class BenchVerb
{
    public const string Usage = "[--config <config.json>] --batch <n> --seq <n> [--steps <n>] [--warmup <n>] [--inference | --ops] [--device cpu|cuda|auto]";

    public static int Run(string[] args)
    {
        var inference = VerbOptions.TakeFlag(ref args, "--inference");
        var operations = VerbOptions.TakeFlag(ref args, "--ops");
        var options = new VerbOptions(args, "config", "batch", "seq", "steps", "warmup", "device");
        var batchSize = options.Int("batch");
        var length = options.Int("seq");
        var steps = options.Int("steps", 3);
        var warmup = options.Int("warmup", 1);
        var device = inference ? Devices.ResolveForInference(options.Optional("device")) : Devices.Resolve(options.Optional("device"));
        var config = options.Optional("config") is { } path ? BertConfig.Load(path) : BertConfig.MultilingualBaseCased;
        if (length > config.MaxPositionEmbeddings)
            throw new CommandLineException($"--seq {length} exceeds max_position_embeddings {config.MaxPositionEmbeddings}");
        if (operations)
        {
            if (inference) throw new CommandLineException("--ops times training operations; leave out --inference.");
            OperatorProfile.Print(config, batchSize, length, steps, device);
            return 0;
        }

        using var model = BertModels.Create(config, nameof(BertForSequenceClassification));
        model.to(device);
        // The anchor's optimizer settings (torch.optim.AdamW, one group), in the trainer's fused implementation.
        using var optimizer = inference ? null : new FusedAdamW([new AdamWGroup(model.named_parameters().ToList(), 0.01)], learningRate: 2e-5, epsilon: 1e-6);
        if (inference) model.eval();
        else model.train();

        var phases = new double[3]; // forward, backward, optimizer seconds over the timed steps
        var phaseClock = new Stopwatch();
        void Lap(int phase)
        {
            // CUDA kernels run asynchronously: wait for them so each phase is charged its own work.
            if (device.type == DeviceType.CUDA) cuda.synchronize(device);
            phases[phase] += phaseClock.Elapsed.TotalSeconds;
            phaseClock.Restart();
        }

        BertBatch RandomBatch() => new()
        {
            InputIds = randint(1, config.VocabSize, [batchSize, length], device: device),
            AttentionMask = ones(batchSize, length, dtype: ScalarType.Int64, device: device),
            Labels = randint(0, config.NumLabels, [batchSize], device: device),
        };

        void Step()
        {
            if (optimizer is null)
            {
                using (NewDisposeScope())
                {
                    var inputs = RandomBatch();
                    using var noGrad = no_grad();
                    phaseClock.Restart();
                    _ = model.forward(inputs).Loss!;
                }
                NativeHeap.ReleaseFreePages(device); // as predict and evaluation do after each batch
                Lap(0);
                return;
            }
            using var scope = NewDisposeScope();
            var batch = RandomBatch();
            optimizer.ZeroGrad();
            phaseClock.Restart();
            var loss = model.forward(batch).Loss!;
            Lap(0);
            loss.backward();
            Lap(1);
            optimizer.Step();
            Lap(2);
        }

        for (var i = 0; i < warmup; i++) Step();
        Array.Clear(phases);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++) Step();
        var seconds = clock.Elapsed.TotalSeconds;

        var result = new Dictionary<string, object>
        {
            ["mode"] = inference ? "inference" : "train",
            ["device"] = device.ToString(),
            ["threads"] = get_num_threads(),
            ["cpu_vendor"] = MklVendorDispatch.CpuVendor() ?? "",
            ["mkl_kernels"] = device.type == DeviceType.CPU ? MklVendorDispatch.ChooseKernelsByInstructionSet() : "",
            ["native_heap"] = device.type == DeviceType.CPU ? NativeHeap.Policy : "",
            ["batch"] = batchSize,
            ["seq"] = length,
            ["steps"] = steps,
            ["parameters"] = model.parameters().Sum(p => p.numel()),
            ["seconds_per_step"] = seconds / steps,
            ["samples_per_second"] = batchSize * steps / seconds,
            ["tokens_per_second"] = (double)batchSize * length * steps / seconds,
            ["forward_seconds_per_step"] = phases[0] / steps,
            ["backward_seconds_per_step"] = phases[1] / steps,
            ["optimizer_seconds_per_step"] = phases[2] / steps,
            // TorchSharp 0.107 exposes no CUDA allocator statistics, so the peak is the process's host RSS on every device.
            ["peak_rss_bytes"] = PeakResidentBytes(),
        };
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    private static long PeakResidentBytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
