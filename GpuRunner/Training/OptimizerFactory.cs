using BertPlatform.Shared.Contracts;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Training;

/// <summary>
/// AdamW as BERT and the Hugging Face Trainer set it up: decoupled weight decay on the weight matrices only,
/// none on biases and LayerNorm weights (decaying a LayerNorm gain towards 0 would fight normalisation).
/// </summary>
public static class OptimizerFactory
{
    public static FusedAdamW Create(nn.Module model, Hyperparameters hyperparameters)
    {
        var decay = new List<(string, Parameter)>();
        var noDecay = new List<(string, Parameter)>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!parameter.requires_grad) continue;
            (IsExemptFromDecay(name) ? noDecay : decay).Add((name, parameter));
        }
        AdamWGroup[] groups = [new(decay, hyperparameters.WeightDecay), new(noDecay, 0.0)];
        return new FusedAdamW(groups, hyperparameters.LearningRate, 0.9, 0.999, hyperparameters.AdamEpsilon);
    }

    /// <summary>Biases and LayerNorm parameters, by their checkpoint names (transformers' rule).</summary>
    public static bool IsExemptFromDecay(string parameterName) =>
        parameterName.EndsWith(".bias", StringComparison.Ordinal) || parameterName == "bias" ||
        parameterName.Contains("LayerNorm.", StringComparison.Ordinal);
}
