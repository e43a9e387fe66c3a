using System.Text.Json.Nodes;
using BertPlatform.GpuRunner.Inference;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Training;
using BertPlatform.GpuRunner.Worker;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Insight;
using BertPlatform.Shared.Metrics;
using BertPlatform.GpuRunner.Pretraining;
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
    public ITaskData Data => TaskCatalog.Pretraining;

    /// <summary>A document's language is detected on its first sentences: enough text for the detector, at a bounded cost.</summary>
    private const int LanguageSampleSentences = 5;

    public IReadOnlyList<string> Architectures { get; } = [nameof(BertForPreTraining), nameof(BertForMaskedLM)];

    public IPredictor CreatePredictor(BertTaskModel model, BertTextTokenizer tokenizer, int maxLength, Device device) =>
        new MaskedLmPredictor(model, tokenizer, maxLength, device);

    public async Task<JobOutcome> RunAsync(JobExecution execution, Device device, CancellationToken cancellationToken)
    {
        var spec = execution.Spec;
        var options = spec.Pretraining;
        var hp = spec.Hyperparameters;
        var progress = execution.Progress;
        Task Log(string message) => progress.ReportAsync(JobEventKind.Log, message, 0, null, cancellationToken);
        IEnumerable<(int Index, CorpusDocument Document)> Corpus() =>
            TaskCatalog.Pretraining.Read(execution.TrainingDataPath, execution.TrainingFormat, spec.Columns).Select((d, i) => (i, d));

        // The held-out documents are chosen on word counts, before any vocabulary exists: from scratch, the
        // vocabulary must be built without them.
        var selection = new HeldOutSelection(options, hp.MaxSequenceLength, hp.Seed);
        foreach (var (index, document) in Corpus()) selection.Offer(index, document.Sentences.Sum(CorpusCounts.CountWords));
        var heldOut = selection.Choose();

        var baseDirectory = execution.BaseModelDirectory;
        if (options.FromScratch)
        {
            baseDirectory = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(execution.OutputDirectory))!, "scratch-base");
            await Log($"building a {options.VocabularySize}-token WordPiece vocabulary from the corpus");
            CreateScratchBase(baseDirectory, Corpus().Where(d => !heldOut.Contains(d.Index)).SelectMany(d => d.Document.Sentences), options, hp.Seed);
        }
        var tokenizer = BertTextTokenizer.Load(baseDirectory);
        var vocabulary = new PretrainingVocabulary(tokenizer.Vocabulary);
        IReadOnlyList<IReadOnlyList<string>> Pieces(CorpusDocument document) => document.Sentences
            .Select(s => (IReadOnlyList<string>)tokenizer.Tokenize(s).Select(t => t.Token).ToArray()).ToArray();

        var corpus = new CorpusReport();
        foreach (var (_, document) in Corpus()) corpus.Add(document, Pieces(document), tokenizer.IdToToken(tokenizer.UnkTokenId));
        var vocabularyName = options.FromScratch
            ? $"the {tokenizer.VocabSize:N0}-token vocabulary built from the corpus"
            : $"{spec.BaseModel}'s {tokenizer.VocabSize:N0}-token vocabulary";
        await Log(corpus.Describe(vocabularyName));

        IEnumerable<IReadOnlyList<IReadOnlyList<string>>> Documents(bool held) => Corpus()
            .Where(d => heldOut.Contains(d.Index) == held)
            .Select(d => PiecesOf(d.Document));
        IReadOnlyList<IReadOnlyList<string>> PiecesOf(CorpusDocument document) =>
            Pieces(document).Where(s => s.Count > 0).ToArray();

        var data = new PretrainingDataOptions
        {
            Job = options,
            MaxSeqLength = hp.MaxSequenceLength,
            Seed = hp.Seed,
        };
        // Instances stream from the corpus on every epoch (the same ones each time, as Google's fixed instance files),
        // so a corpus larger than memory trains; one counting pass fixes the schedule.
        var train = new StreamingTrainingData<PretrainingFeature>(() =>
            new PretrainingInstanceGenerator(vocabulary, data).Generate(Documents(held: false)).Select(i => new PretrainingFeature(i)));
        // The held-out instances are fixed once (one pass, its own seed) so every evaluation scores the same masks;
        // the selection sized the set by what it measures, so it is small however large the corpus is. Each instance
        // is scored under the language of the document its first segment came from (detected on its first sentences).
        var heldOutCorpus = Corpus().Where(d => heldOut.Contains(d.Index)).Select(d => d.Document).ToList();
        var heldOutDocuments = heldOutCorpus.Select(PiecesOf).ToList();
        var heldOutLanguages = heldOutCorpus.Select(d => LanguageIdentifier.Identify(string.Join(' ', d.Sentences.Take(LanguageSampleSentences)))).ToList();
        var evaluation = new PretrainingInstanceGenerator(vocabulary, data with { Job = options with { DupeFactor = 1 }, Seed = hp.Seed + 1 })
            .Generate(heldOutDocuments).Select(i => new PretrainingFeature(i, heldOutLanguages[i.SourceDocument])).ToList();
        var predictions = evaluation.Sum(f => (long)f.Instance.MaskedPositions.Length);
        var unigram = UnigramBaseline.Of(evaluation.Select(f => f.Instance));
        var unigramToken = unigram.TokenId < 0 ? "(none)" : tokenizer.IdToToken(unigram.TokenId);
        await Log(FormattableString.Invariant(
            $"held out {heldOutDocuments.Count:N0} of {selection.CorpusDocuments:N0} documents (whole documents): {predictions:N0} masked predictions, {evaluation.Count:N0} next-sentence pairs; unigram baseline: always predicting '{unigramToken}' scores {unigram.Accuracy:0.0000} masked-LM accuracy"));
        var warning = selection.Check(heldOutDocuments.Count, predictions, evaluation.Count);
        if (warning != null) await Log("warning: " + warning);

        var steps = StepPlan.For(train.Count, hp);
        var instancesPerPass = (double)train.Count / options.DupeFactor;
        var epochs = steps.LimitedByMaxSteps ? $"maxSteps {steps.TotalSteps:N0} = {steps.Epochs:0.##} epoch(s)" : $"{hp.Epochs} epoch(s)";
        var plan = FormattableString.Invariant(
            $"plan: about {instancesPerPass:N0} instances per pass over the {selection.CorpusDocuments - heldOutDocuments.Count:N0} training documents; dupe factor {options.DupeFactor} makes one epoch {train.Count:N0} instances ({options.DupeFactor} passes, each with different pairs and masks); {epochs} = {options.DupeFactor * steps.Epochs:0.##} passes over the corpus, {steps.TotalSteps:N0} optimizer steps of {hp.BatchSize * hp.GradientAccumulationSteps} instances");
        await Log(plan);

        var description = new JsonObject
        {
            ["fromScratch"] = options.FromScratch,
            ["modelSize"] = options.FromScratch ? options.ModelSize : null,
            ["vocabularySize"] = tokenizer.VocabSize,
            ["corpus"] = new JsonObject
            {
                ["documents"] = corpus.Documents,
                ["sentences"] = corpus.Sentences,
                ["words"] = corpus.Words,
                ["wordPieceTokens"] = corpus.WordPieceTokens,
                ["unknownTokens"] = corpus.UnknownTokens,
                ["unknownRate"] = corpus.UnknownRate,
            },
            ["heldOut"] = new JsonObject
            {
                ["documents"] = heldOutDocuments.Count,
                ["maskedPredictions"] = predictions,
                ["nextSentencePairs"] = evaluation.Count,
                ["requestedMaskedPredictions"] = options.HeldOutMaskedPredictions,
                ["requestedNextSentencePairs"] = options.HeldOutNextSentencePairs,
                ["warning"] = warning,
            },
            ["unigramBaseline"] = new JsonObject { ["token"] = unigramToken, ["accuracy"] = unigram.Accuracy },
            ["instancesPerPass"] = Math.Round(instancesPerPass, 1),
            ["dupeFactor"] = options.DupeFactor,
            ["passes"] = Math.Round(options.DupeFactor * steps.Epochs, 2),
            ["plannedSteps"] = steps.TotalSteps,
            ["trainInstances"] = train.Count,
            ["evalInstances"] = evaluation.Count,
            ["maskedLmProbability"] = options.MaskedLmProbability,
        };
        var notes = new List<string> { corpus.Describe(vocabularyName), plan };
        if (warning != null) notes.Add("warning: " + warning);

        var runPlan = new TrainingRun.Plan<PretrainingFeature>(
            new PretrainingTask(tokenizer.PadTokenId, unigram.Accuracy),
            Architectures[0],
            Data.PrimaryMetric(null),
            _ => { },
            train,
            evaluation,
            description,
            // As run_mlm with the Trainer: masked-LM accuracy over a few thousand masks plateaus long before the loss stops falling.
            SelectionMetric: MetricNames.MlmLoss,
            Notes: notes,
            Verdict: metrics => Verdict(metrics, unigram, unigramToken));
        return await TrainingRun.RunAsync(execution with { BaseModelDirectory = baseDirectory }, tokenizer, runPlan, device, cancellationToken);
    }

    /// <summary>
    /// Whether the published model beat the unigram baseline by more than the measurement's noise (two standard
    /// errors of an accuracy over this many masks), in one sentence.
    /// </summary>
    public static string Verdict(IReadOnlyDictionary<string, double> metrics, UnigramBaseline unigram, string unigramToken)
    {
        var accuracy = metrics.GetValueOrDefault(MetricNames.MlmAccuracy);
        var noise = 2 * Math.Sqrt(Math.Max(unigram.Accuracy * (1 - unigram.Accuracy), 1e-12) / Math.Max(1, unigram.Predictions));
        var comparison = FormattableString.Invariant(
            $"masked-LM accuracy {accuracy:0.0000} against the unigram baseline {unigram.Accuracy:0.0000} (always '{unigramToken}', {unigram.Predictions:N0} held-out masks)");
        return accuracy > unigram.Accuracy + noise
            ? $"{comparison}: the model beat the baseline, so it predicts from context, not only from word frequencies."
            : $"{comparison}: the model has not beaten the baseline by more than the measurement's noise (±{noise:0.0000}); it has learned little beyond word frequencies. Train longer, on more text, or with a higher learning rate.";
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
}
