namespace BertPlatform.GpuRunner.Modeling;

/// <summary>Creates a task model by its transformers class name, with transformers' initial weights.</summary>
public static class BertModels
{
    private static readonly Dictionary<string, Func<BertConfig, BertTaskModel>> factories = new(StringComparer.Ordinal)
    {
        [nameof(BertForPreTraining)] = c => new BertForPreTraining(c),
        [nameof(BertForMaskedLM)] = c => new BertForMaskedLM(c),
        [nameof(BertForSequenceClassification)] = c => new BertForSequenceClassification(c),
        [nameof(BertForTokenClassification)] = c => new BertForTokenClassification(c),
        [nameof(BertForQuestionAnswering)] = c => new BertForQuestionAnswering(c),
        [nameof(BertForMultipleChoice)] = c => new BertForMultipleChoice(c),
    };

    public static IReadOnlyCollection<string> Architectures => factories.Keys;

    public static BertTaskModel Create(BertConfig config, string architecture)
    {
        if (!factories.TryGetValue(architecture, out var create))
            throw new ArgumentException(
                $"Unknown architecture '{architecture}'; expected one of {string.Join(", ", factories.Keys)}.", nameof(architecture));
        var model = create(config);
        BertInitializer.Initialize(model, config);
        return model;
    }
}
