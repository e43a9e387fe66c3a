using BertPlatform.GpuRunner.Checkpoints;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Training;

/// <summary>
/// The fused AdamW's state as safetensors: per parameter its moments (<c>exp_avg.{parameter}</c>,
/// <c>exp_avg_sq.{parameter}</c>, raw float32 so a resumed run continues bit for bit) and its step count (<c>step.{parameter}</c>, int64).
/// </summary>
public static class OptimizerStateFile
{
    public static void Save(FusedAdamW optimizer, string path)
    {
        var state = optimizer.State.ToList();
        using var scope = NewDisposeScope();
        var tensors = state.SelectMany(s => new[]
        {
            ($"exp_avg.{s.Name}", s.ExpAvg), ($"exp_avg_sq.{s.Name}", s.ExpAvgSq), ($"step.{s.Name}", tensor(s.Steps)),
        }).ToList();
        SafetensorsFile.Write(path, tensors);
    }

    public static void Load(FusedAdamW optimizer, string path)
    {
        var tensors = SafetensorsFile.Read(path);
        try
        {
            foreach (var name in optimizer.ParameterNames)
            {
                if (!tensors.TryGetValue($"exp_avg.{name}", out var expAvg) || !tensors.TryGetValue($"exp_avg_sq.{name}", out var expAvgSq))
                    throw new InvalidDataException($"{path} holds no moments for the parameter '{name}'.");
                if (!tensors.TryGetValue($"step.{name}", out var steps) || steps.dtype != ScalarType.Int64 || steps.numel() != 1)
                    throw new InvalidDataException($"{path} holds no int64 step count 'step.{name}' for the parameter '{name}'.");
                optimizer.Restore(name, expAvg, expAvgSq, steps.item<long>());
            }
            var known = optimizer.ParameterNames.SelectMany(n => new[] { $"exp_avg.{n}", $"exp_avg_sq.{n}", $"step.{n}" }).ToHashSet(StringComparer.Ordinal);
            var unknown = tensors.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
                throw new InvalidDataException($"{path} holds {string.Join(", ", unknown)}, which name no parameter of this model.");
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }
}
