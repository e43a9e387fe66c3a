using BertPlatform.GpuRunner.Checkpoints;
using BertPlatform.GpuRunner.Modeling;
using static TorchSharp.torch;
using static BertPlatform.GpuRunner.Tests.TinyBert;

namespace BertPlatform.GpuRunner.Tests;

/// <summary>Loading and saving the Hugging Face layout: formats, legacy names, reports, errors, round-trips.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly string temporary = Path.Combine(Path.GetTempPath(), "gpurunner-tests-" + Guid.NewGuid().ToString("N"));

    public CheckpointTests() => Directory.CreateDirectory(temporary);

    public void Dispose() => Directory.Delete(temporary, recursive: true);

    [Fact]
    public void PytorchBinLoadsTheSameWeightsAsSafetensors()
    {
        using var scope = NewDisposeScope();
        var binOnly = Path.Combine(temporary, "bin");
        Directory.CreateDirectory(binOnly);
        File.Copy(Path.Combine(TinyBert.Root, "config.json"), Path.Combine(binOnly, "config.json"));
        File.Copy(Path.Combine(TinyBert.Root, "pytorch_model.bin"), Path.Combine(binOnly, "pytorch_model.bin"));

        var (model, report) = HuggingFaceCheckpoint.FromPretrained(binOnly);
        using var _ = model;
        // The .bin carries the tied decoder aliases explicitly; they are the same tensors, not unexpected keys.
        Assert.Empty(report.MissingKeys);
        Assert.Empty(report.UnexpectedKeys);
        model.eval();
        using var noGrad = no_grad();
        AssertClose("b1_pairs.prediction_logits", model.forward(Batch("b1_pairs", "pretrain")).Logits!);
    }

    [Fact]
    public void BaseCheckpointWithoutPrefixAndLegacyNamesLoadsIntoATaskModel()
    {
        using var scope = NewDisposeScope();
        var fixture = ReadFixture("model.safetensors");
        // An old-style base BertModel file: no "bert." prefix, LayerNorm gamma/beta, a position_ids buffer, no heads.
        var baseTensors = fixture.Where(kv => kv.Key.StartsWith("bert.", StringComparison.Ordinal))
            .Select(kv => (Name: kv.Key["bert.".Length..].Replace("LayerNorm.weight", "LayerNorm.gamma").Replace("LayerNorm.bias", "LayerNorm.beta"), Tensor: kv.Value))
            .Append(("embeddings.position_ids", arange(64L).unsqueeze(0)))
            .ToList();
        var baseDirectory = Path.Combine(temporary, "base");
        Directory.CreateDirectory(baseDirectory);
        SafetensorsFile.Write(Path.Combine(baseDirectory, "model.safetensors"), baseTensors);
        var config = BertConfig.Load(Path.Combine(TinyBert.Root, "config.json"));
        config.Architectures = ["BertModel"];
        config.Save(Path.Combine(baseDirectory, "config.json"));

        var (model, report) = HuggingFaceCheckpoint.FromPretrained(baseDirectory, nameof(BertForSequenceClassification), c => c.NumLabels = 4);
        using var _ = model;
        Assert.Equal(["classifier.bias", "classifier.weight"], report.MissingKeys.Order(StringComparer.Ordinal));
        Assert.Empty(report.UnexpectedKeys);
        var state = model.state_dict();
        foreach (var (name, expected) in fixture.Where(kv => kv.Key.StartsWith("bert.", StringComparison.Ordinal)))
            Assert.True(BitEqual(state[name], expected), $"{name} was not loaded bit-exactly");
        Assert.Equal([4L, 32L], state["classifier.weight"].shape);
    }

    [Fact]
    public void PreTrainingCheckpointIntoTokenClassificationReportsLikeTransformers()
    {
        using var scope = NewDisposeScope();
        var (model, report) = HuggingFaceCheckpoint.FromPretrained(TinyBert.Root, nameof(BertForTokenClassification), c => c.NumLabels = 5);
        using var _ = model;
        Assert.Equal(["classifier.bias", "classifier.weight"], report.MissingKeys.Order(StringComparer.Ordinal));
        Assert.Equal(
            ["bert.pooler.dense.bias", "bert.pooler.dense.weight", "cls.predictions.bias", "cls.predictions.transform.LayerNorm.bias",
             "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.dense.bias", "cls.predictions.transform.dense.weight",
             "cls.seq_relationship.bias", "cls.seq_relationship.weight"],
            report.UnexpectedKeys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void NewHeadIsInitialisedLikeTransformers()
    {
        using var scope = NewDisposeScope();
        var config = BertConfig.Load(Path.Combine(TinyBert.Root, "config.json"));
        config.InitializerRange = 0.5;
        using var model = BertModels.Create(config, nameof(BertForPreTraining));
        var state = model.state_dict();
        Assert.Equal(0.0, state["cls.predictions.bias"].abs().max().item<float>());
        Assert.Equal(0.0, state["bert.embeddings.word_embeddings.weight"][config.PadTokenId].abs().max().item<float>());
        Assert.Equal(1.0, state["bert.encoder.layer.0.output.LayerNorm.weight"].mean().item<float>());
        Assert.Equal(0.0, state["bert.encoder.layer.0.output.dense.bias"].abs().max().item<float>());
        var std = state["bert.embeddings.word_embeddings.weight"][1..].std().item<float>();
        Assert.InRange(std, 0.45, 0.55);
        Assert.InRange(state["bert.encoder.layer.1.intermediate.dense.weight"].std().item<float>(), 0.45, 0.55);
    }

    [Fact]
    public void WrongShapeNamesTheTensorAndBothShapes()
    {
        using var scope = NewDisposeScope();
        var config = BertConfig.Load(Path.Combine(TinyBert.Root, "config.json"));
        config.IntermediateSize = 40;
        using var model = BertModels.Create(config, nameof(BertForPreTraining));
        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceCheckpoint.LoadWeights(model, TinyBert.Root));
        // The first mismatching tensor in file order is layer 0's intermediate.dense weight or bias; both name their shapes.
        Assert.Matches(@"'bert\.encoder\.layer\.0\.intermediate\.dense\.(weight|bias)' .* shape \[37(, 32)?\] but the model expects \[40(, 32)?\]", error.Message);
    }

    [Theory]
    [InlineData("model.safetensors", 1000)]     // truncated in the middle of the tensor data
    [InlineData("model.safetensors", 5)]        // shorter than the header length
    [InlineData("pytorch_model.bin", 3000)]     // a torn zip archive
    public void CorruptFileNamesTheFile(string fileName, int keepBytes)
    {
        var directory = Path.Combine(temporary, "corrupt");
        Directory.CreateDirectory(directory);
        var bytes = File.ReadAllBytes(Path.Combine(TinyBert.Root, fileName));
        var path = Path.Combine(directory, fileName);
        File.WriteAllBytes(path, bytes[..keepBytes]);
        File.Copy(Path.Combine(TinyBert.Root, "config.json"), Path.Combine(directory, "config.json"));

        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceCheckpoint.FromPretrained(directory));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void GarbageSafetensorsHeaderNamesTheFile()
    {
        var path = Path.Combine(temporary, "model.safetensors");
        var header = "{not json"u8.ToArray();
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)header.Length), .. header]);
        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(path));
        Assert.Contains(path, error.Message);
    }

    [Theory]
    [InlineData(".", "BertForPreTraining")]
    [InlineData("heads/seqcls", "BertForSequenceClassification")]
    [InlineData("heads/tokcls", "BertForTokenClassification")]
    [InlineData("heads/qa", "BertForQuestionAnswering")]
    [InlineData("heads/mc", "BertForMultipleChoice")]
    public void SaveReloadsBitIdenticallyWithTheFixturesNamesAndShapes(string fixtureFolder, string architecture)
    {
        using var scope = NewDisposeScope();
        var source = Path.GetFullPath(Path.Combine(TinyBert.Root, fixtureFolder));
        var (model, _) = HuggingFaceCheckpoint.FromPretrained(source);
        using var _ = model;
        var saved = Path.Combine(temporary, "saved");
        HuggingFaceCheckpoint.Save(model, saved);

        var fixture = SafetensorsFile.Read(Path.Combine(source, "model.safetensors"));
        var written = SafetensorsFile.Read(Path.Combine(saved, "model.safetensors"));
        Assert.Equal(fixture.Keys.Order(StringComparer.Ordinal), written.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, tensor) in fixture)
        {
            Assert.Equal(tensor.shape, written[name].shape);
            Assert.True(BitEqual(tensor, written[name]), $"{name} changed in the round-trip");
        }
        Assert.Contains("\"__metadata__\":{\"format\":\"pt\"}", ReadHeader(Path.Combine(saved, "model.safetensors")));

        var (reloaded, report) = HuggingFaceCheckpoint.FromPretrained(saved);
        using var __ = reloaded;
        Assert.Equal(architecture, reloaded.Architecture);
        Assert.Empty(report.MissingKeys);
        Assert.Empty(report.UnexpectedKeys);
        var original = model.state_dict();
        foreach (var (name, tensor) in reloaded.state_dict())
            Assert.True(BitEqual(tensor, original[name]), $"{name} differs after reload");
    }

    [Fact]
    public void ConfigRoundTripKeepsUnknownKeysAndLabels()
    {
        var config = BertConfig.Load(Path.Combine(Head("seqcls"), "config.json"));
        Assert.Equal(3, config.NumLabels);
        Assert.Equal(["LABEL_0", "LABEL_1", "LABEL_2"], config.LabelNames);
        config.Id2Label = new() { ["0"] = "neg", ["1"] = "pos" };
        config.Label2Id = new() { ["neg"] = 0, ["pos"] = 1 };
        config.ProblemType = "single_label_classification";
        var path = Path.Combine(temporary, "config.json");
        config.Save(path);

        var text = File.ReadAllText(path);
        Assert.Contains("\"transformers_version\": \"4.31.0\"", text);
        Assert.Contains("\"position_embedding_type\": \"absolute\"", text);
        var reloaded = BertConfig.Load(path);
        Assert.Equal(2, reloaded.NumLabels);
        Assert.Equal("pos", reloaded.Id2Label!["1"]);
        Assert.Equal(1, reloaded.Label2Id!["pos"]);
        Assert.Equal("single_label_classification", reloaded.ProblemType);
        Assert.Equal(config.ToJson(), reloaded.ToJson());
    }

    private static bool BitEqual(Tensor a, Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static string ReadHeader(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var length = (int)BitConverter.ToUInt64(bytes, 0);
        return System.Text.Encoding.UTF8.GetString(bytes, 8, length);
    }
}
