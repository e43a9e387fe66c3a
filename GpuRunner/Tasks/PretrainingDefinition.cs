using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Inference;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Training;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Metrics;
using BertPlatform.Shared.Pretraining;
using BertPlatform.Shared.Tasks;
using BertPlatform.Shared.Tokenization;
using static TorchSharp.torch;

namespace BertPlatform.GpuRunner.Tasks;

/// <summary>
/// BERT pre-training (masked LM + next sentence) on BertForPreTraining: from scratch (build a WordPiece vocabulary from the corpus, start from random
/// weights) or continued from the base model; hold out whole documents; create masked-LM / next-sentence
/// instances as Google's create_pretraining_data.py does. Its models (and BertForMaskedLM ones) predict masked tokens.
/// </summary>
public sealed class PretrainingDefinition : ITaskDefinition
{
    /// <summary>Held-out documents scored at each evaluation (a few thousand masked predictions per document set).</summary>
    public const int MaxEvaluationDocuments = 1_000;

    public ITaskData Data => TaskCatalog.Pretraining;

    public IReadOnlyList<string> Architectures { get; } = [nameof(BertForPreTraining), nameof(BertForMaskedLM)];

    public IPredictor CreatePredictor(BertTaskModel model, BertTextTokenizer tokenizer, int maxLength, Device device) =>
        new MaskedLmPredictor(model, tokenizer, maxLength, device);

    public async Task<JobOutcome> RunAsync(JobExecution execution, Device device, CancellationToken cancellationToken)
    {
        var spec = execution.Spec;
        var options = spec.Pretraining;
        var hp = spec.Hyperparameters;
        IEnumerable<(int Index, CorpusDocument Document)> Corpus() =>
            TaskCatalog.Pretraining.Read(execution.TrainingDataPath, execution.TrainingFormat, spec.Columns).Select((d, i) => (i, d));
        bool IsHeldOut(int index) => Mix(index, hp.Seed) < options.HeldOutDocuments;

        var baseDirectory = execution.BaseModelDirectory;
        if (options.FromScratch)
        {
            baseDirectory = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(execution.OutputDirectory))!, "scratch-base");
            await execution.Progress.ReportAsync(JobEventKind.Log, $"building a {options.VocabularySize}-token WordPiece vocabulary from the corpus", 0, null, cancellationToken);
            CreateScratchBase(baseDirectory, Corpus().Where(d => !IsHeldOut(d.Index)).SelectMany(d => d.Document.Sentences), options, hp.Seed);
        }
        var tokenizer = BertTextTokenizer.Load(baseDirectory);
        var vocabulary = new PretrainingVocabulary(tokenizer.Vocabulary);

        IEnumerable<IReadOnlyList<IReadOnlyList<string>>> Documents(bool heldOut) => Corpus()
            .Where(d => IsHeldOut(d.Index) == heldOut)
            .Select(d => (IReadOnlyList<IReadOnlyList<string>>)d.Document.Sentences
                .Select(s => (IReadOnlyList<string>)tokenizer.Tokenize(s).Select(t => t.Token).ToArray())
                .Where(s => s.Count > 0).ToArray());

        var data = new PretrainingDataOptions
        {
            Job = options,
            MaxSeqLength = hp.MaxSequenceLength,
            Seed = hp.Seed,
        };
        // Instances stream from the corpus on every epoch (the same ones each time, as Google's fixed instance files),
        // so a corpus larger than memory trains; one counting pass fixes the schedule.
        var train = new StreamingTrainingData<PretrainingFeature>(() =>
            new PretrainingInstanceGenerator(vocabulary, data).Generate(Documents(heldOut: false)).Select(i => new PretrainingFeature(i)));
        // The held-out instances are fixed once (one pass, its own seed) so every evaluation scores the same masks.
        // Scored documents are capped so evaluation stays small and in memory however large the corpus is.
        var heldOutDocuments = Documents(heldOut: true).Take(MaxEvaluationDocuments).ToList();
        if (heldOutDocuments.Count < 2)
            throw new InvalidDataException(
                $"Only {heldOutDocuments.Count} document(s) were held out ({options.HeldOutDocuments:P0} of the corpus); next-sentence pairs need at least 2. Upload more documents or raise heldOutDocuments.");
        var evaluation = new PretrainingInstanceGenerator(vocabulary, data with { Job = options with { DupeFactor = 1 }, Seed = hp.Seed + 1 })
            .Generate(heldOutDocuments).Select(i => new PretrainingFeature(i)).ToList();

        var plan = new TrainingRun.Plan<PretrainingFeature>(
            new PretrainingTask(tokenizer.PadTokenId),
            Architectures[0],
            Data.PrimaryMetric(null),
            _ => { },
            train,
            evaluation,
            new JsonObject
            {
                ["from_scratch"] = options.FromScratch,
                ["model_size"] = options.FromScratch ? options.ModelSize : null,
                ["vocabulary_size"] = tokenizer.VocabSize,
                ["held_out_documents"] = heldOutDocuments.Count,
                ["train_instances"] = train.Count,
                ["eval_instances"] = evaluation.Count,
                ["dupe_factor"] = options.DupeFactor,
                ["masked_lm_probability"] = options.MaskedLmProbability,
            },
            // As run_mlm with the Trainer: masked-LM accuracy over a few thousand masks plateaus long before the loss stops falling.
            SelectionMetric: MetricNames.MlmLoss);
        return await TrainingRun.RunAsync(execution with { BaseModelDirectory = baseDirectory }, tokenizer, plan, device, cancellationToken);
    }

    private static void CreateScratchBase(string directory, IEnumerable<string> sentences, PretrainingOptions options, int seed)
    {
        var layout = options.VocabularySize >= 1_000 ? SpecialTokenLayout.Multilingual : SpecialTokenLayout.Compact;
        var vocabulary = WordPieceVocabularyBuilder.Build(sentences,
            new WordPieceVocabularyOptions { VocabularySize = options.VocabularySize, SpecialTokenLayout = layout, MinFrequency = 1 });
        var vocabularyPath = Path.Combine(Path.GetTempPath(), $"vocab-{Guid.NewGuid():N}.txt");
        try
        {
            WordPieceVocabularyBuilder.Save(vocabulary, vocabularyPath);
            var config = BertConfig.Preset(options.ModelSize, vocabulary.Count);
            BaseModelFactory.Create(directory, config, vocabularyPath,
                new BertTokenizerSettings(DoLowerCase: false, StripAccents: false, TokenizeChineseChars: true), seed);
        }
        finally
        {
            File.Delete(vocabularyPath);
        }
    }

    /// <summary>A fixed pseudo-random number in [0,1) per document, so the held-out set is the same on every pass.</summary>
    private static double Mix(int index, int seed)
    {
        var x = (ulong)(uint)index * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)seed * 0xBF58476D1CE4E5B9UL;
        x ^= x >> 31; x *= 0x94D049BB133111EBUL; x ^= x >> 29;
        return (x >> 11) * (1.0 / (1UL << 53));
    }
}
