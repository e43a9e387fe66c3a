using BertPlatform.Functions.Http;
using BertPlatform.Shared.Contracts;

namespace BertPlatform.Functions.Jobs;

/// <summary>
/// JSON <c>null</c> for a field the spec declares as an object or a string replaces its default with null (the
/// serializer does not enforce nullability), so these are checked before anything reads into them. Leaving a field
/// out is how a client asks for its default; null is almost always a client's serializer writing an unset property.
/// </summary>
public static class JobSpecNullFields
{
    public static IReadOnlyList<FieldError> Find(JobSpec spec)
    {
        var errors = new List<FieldError>();
        void Check(object? value, string field, string what)
        {
            if (value is null) errors.Add(new FieldError(field, $"{field} is null; give {what}, or leave the field out for its default."));
        }

        Check(spec.BaseModel, "baseModel", "a base model name");
        Check(spec.Columns, "columns", "an object mapping column names");
        Check(spec.Hyperparameters, "hyperparameters", "an object");
        Check(spec.TokenClassification, "tokenClassification", "an object");
        Check(spec.QuestionAnswering, "questionAnswering", "an object");
        Check(spec.Pretraining, "pretraining", "an object");
        if (spec.Pretraining is { } pretraining) Check(pretraining.ModelSize, "pretraining.modelSize", "a model size");
        return errors;
    }
}
