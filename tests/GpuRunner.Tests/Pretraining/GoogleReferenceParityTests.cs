using System.Text.Json;
using BertPlatform.GpuRunner.Pretraining;
using BertPlatform.Shared.Tokenization;
using BertPlatform.TestSupport;

namespace BertPlatform.GpuRunner.Tests.Pretraining;

/// <summary>
/// Compares the port with Google's own <c>create_instances_from_document</c>, run in Python with a twin of
/// <see cref="PretrainingRandom"/> (GoogleReference/generate.py wrote the expected instances). With the same
/// random stream and Google's corpus-wide choice of the random document, every instance (packing, the
/// next-sentence choice, truncation and masking) must match token for token.
/// </summary>
public sealed class GoogleReferenceParityTests
{
    private static readonly JsonElement Reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(
        TestAssets.RepositoryRoot, "tests", "GpuRunner.Tests", "Pretraining", "GoogleReference", "google_reference.json"))).RootElement;

    [Fact]
    public void The_random_stream_matches_its_python_twin()
    {
        var check = Reference.GetProperty("random_check");
        var random = new PretrainingRandom(check.GetProperty("seed").GetInt64());
        foreach (var expected in check.GetProperty("uint64").EnumerateArray())
            Assert.Equal(ulong.Parse(expected.GetString()!), random.NextUInt64());
        foreach (var expected in check.GetProperty("randint_0_9").EnumerateArray())
            Assert.Equal(expected.GetInt32(), random.NextInt(0, 9));
        foreach (var expected in check.GetProperty("random").EnumerateArray())
            Assert.Equal(expected.GetDouble(), random.NextDouble());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Instances_match_googles_create_instances_from_document(int caseIndex)
    {
        var tokens = Reference.GetProperty("vocabulary").EnumerateArray().Select(t => t.GetString()!).ToList();
        var vocabulary = new PretrainingVocabulary(tokens);
        var documents = Reference.GetProperty("documents").EnumerateArray()
            .Select(d => d.EnumerateArray()
                .Select(s => s.EnumerateArray().Select(t => vocabulary.TryGetId(t.GetString()!)!.Value).ToArray())
                .ToList())
            .ToList();
        var settings = Reference.GetProperty("cases")[caseIndex];
        var random = new PretrainingRandom(settings.GetProperty("seed").GetInt64());
        var pairs = new SegmentPairCreator(settings.GetProperty("max_seq_length").GetInt32(),
            settings.GetProperty("short_seq_prob").GetDouble());
        var masker = new MaskedLanguageModelMasker(vocabulary, settings.GetProperty("masked_lm_prob").GetDouble(),
            settings.GetProperty("max_predictions_per_seq").GetInt32(), settings.GetProperty("whole_word_mask").GetBoolean());

        var actual = new List<(string[] Tokens, int[] SegmentIds, bool IsRandomNext, int[] Positions, string[] Labels)>();
        for (var pass = 0; pass < settings.GetProperty("dupe_factor").GetInt32(); pass++)
        {
            for (var index = 0; index < documents.Count; index++)
            {
                var documentIndex = index;
                // Google's draw over the whole corpus: up to ten tries to avoid the current document.
                IReadOnlyList<int[]> DrawOther()
                {
                    var other = 0;
                    for (var attempt = 0; attempt < 10; attempt++)
                    {
                        other = random.NextInt(0, documents.Count - 1);
                        if (other != documentIndex) break;
                    }
                    return documents[other];
                }
                foreach (var pair in pairs.CreatePairs(documents[index], DrawOther, random))
                {
                    int[] sequence = [vocabulary.ClsId, .. pair.TokensA, vocabulary.SepId, .. pair.TokensB, vocabulary.SepId];
                    var segmentIds = sequence.Select((_, i) => i <= pair.TokensA.Length + 1 ? 0 : 1).ToArray();
                    var masked = masker.Mask(sequence, random);
                    actual.Add((masked.InputIds.Select(id => tokens[id]).ToArray(), segmentIds, pair.IsRandomNext,
                        masked.Positions, masked.Positions.Select(p => tokens[masked.Labels[p]]).ToArray()));
                }
            }
        }

        var expected = settings.GetProperty("instances").EnumerateArray().ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            Assert.Equal(e.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()), actual[i].Tokens);
            Assert.Equal(e.GetProperty("segment_ids").EnumerateArray().Select(t => t.GetInt32()), actual[i].SegmentIds);
            Assert.Equal(e.GetProperty("is_random_next").GetBoolean(), actual[i].IsRandomNext);
            Assert.Equal(e.GetProperty("masked_lm_positions").EnumerateArray().Select(t => t.GetInt32()), actual[i].Positions);
            Assert.Equal(e.GetProperty("masked_lm_labels").EnumerateArray().Select(t => t.GetString()), actual[i].Labels);
        }
    }
}
