namespace BertPlatform.Shared.Inference;

/// <summary>An input the model cannot take: <see cref="Field"/> is its JSON path (<c>inputs[2].text</c>).</summary>
public sealed class PredictionInputException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
