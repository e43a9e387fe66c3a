namespace BertPlatform.Shared.Datasets;

/// <summary>
/// A dataset problem that stops the reading: a broken structure the parser cannot recover from (a missing
/// header column, malformed SQuAD JSON), or any error at all when <see cref="DatasetReader"/> reads training data.
/// </summary>
public sealed class DatasetFormatException(DatasetError error) : Exception(error.ToString())
{
    public DatasetError Error { get; } = error;
}
