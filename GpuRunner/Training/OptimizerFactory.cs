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
    public static AdamW Create(nn.Module model, Hyperparameters hyperparameters)
    {
        var decay = new List<Parameter>();
        var noDecay = new List<Parameter>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!parameter.requires_grad) continue;
            (IsExemptFromDecay(name) ? noDecay : decay).Add(parameter);
        }
        var lr = hyperparameters.LearningRate;
        var groups = new[]
        {
            new AdamW.ParamGroup(decay, lr, 0.9, 0.999, hyperparameters.AdamEpsilon, hyperparameters.WeightDecay, false, false),
            new AdamW.ParamGroup(noDecay, lr, 0.9, 0.999, hyperparameters.AdamEpsilon, 0.0, false, false),
        };
        return optim.AdamW(groups, lr, 0.9, 0.999, hyperparameters.AdamEpsilon, hyperparameters.WeightDecay);
    }

    /// <summary>Biases and LayerNorm parameters, by their checkpoint names (transformers' rule).</summary>
    public static bool IsExemptFromDecay(string parameterName) =>
        parameterName.EndsWith(".bias", StringComparison.Ordinal) || parameterName == "bias" ||
        parameterName.Contains("LayerNorm.", StringComparison.Ordinal);

    public static void SetLearningRate(AdamW optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
    }
}
