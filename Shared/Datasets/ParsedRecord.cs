namespace BertPlatform.Shared.Datasets;

/// <summary>One row, record or sentence of a dataset: the example it makes, or why it makes none.</summary>
internal sealed record ParsedRecord<T>(T? Example, IReadOnlyList<DatasetError> Errors) where T : class
{
    public static ParsedRecord<T> Valid(T example) => new(example, []);

    public static ParsedRecord<T> Invalid(IReadOnlyList<DatasetError> errors) => new(null, errors);

    public static ParsedRecord<T> Invalid(DatasetError error) => new(null, [error]);
}
